// A real Chromium page's heap of a requested size, for `npm run bench -- --shape chromium [--size MB]`.
//
// bench/chromium-shape.html in Debian's headless Chromium over the DevTools protocol (playwright-core), as
// bench/browser-pair.ts does: the page grows a feed of cards (live DOM trees with listener closures, their JS
// models, some detached DOM). The size is found by measuring: a snapshot of the empty page, one after
// CALIBRATION_UNITS cards (both only counted, not kept), then the page grows to the card count that the
// bytes per card predict for the target, and that snapshot is written to bench/out/chromium-<size>.heapsnapshot
// (via .tmp, renamed when complete) with a .meta.json; reused unless --force.

import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withBenchPage } from './bench-page.js';

/** Cards built before the size is extrapolated (~40 MB of snapshot). */
export const CALIBRATION_UNITS = 2_000;

export interface ChromiumShapeMeta {
  file: string;
  kind: 'chromium';
  targetMB: number;
  units: number;
  bytes: number;
  nodeCount?: number;
  edgeCount?: number;
  sampleIds: Record<string, number>;
  bytesPerUnit: number;
  emptyPageBytes: number;
  seconds: number;
  chromium: string;
  html: number;
  createdAt: string;
}

export async function makeChromiumShape(root: string, outDir: string, sizeMB: number, force: boolean): Promise<string> {
  const file = join(outDir, `chromium-${sizeMB}.heapsnapshot`);
  const metaPath = `${file}.meta.json`;
  const html = readFileSync(join(root, 'bench/chromium-shape.html'), 'utf8').length;
  if (!force && existsSync(file) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as ChromiumShapeMeta;
    if (meta.html === html) {
      console.log(`reusing ${file} (${(meta.bytes / 1e6).toFixed(1)} MB; --force to regenerate)`);
      return file;
    }
  }
  const started = process.hrtime.bigint();
  // A renderer holding a multi-GB heap needs a larger V8 heap limit than the default.
  const meta = await withBenchPage(root, 'chromium-shape.html', '--shape chromium', ['--js-flags=--max-old-space-size=8000'], async (page) => {
    const take = (path?: string) => page.take(path, { gc: true });
    const empty = await take();
    await page.evaluate(`build(${CALIBRATION_UNITS})`);
    const calibrated = await take();
    const bytesPerUnit = (calibrated - empty) / CALIBRATION_UNITS;
    const units = Math.max(CALIBRATION_UNITS, Math.round((sizeMB * 1e6 - empty) / bytesPerUnit));
    console.log(`  empty page ${(empty / 1e6).toFixed(1)} MB, ${bytesPerUnit.toFixed(0)} bytes/card → ${units.toLocaleString('en')} cards for ~${sizeMB} MB`);
    // Grow in steps: one huge synchronous evaluate would hold the renderer for minutes.
    for (let n = CALIBRATION_UNITS; n < units; ) {
      n = Math.min(units, n + 5_000);
      await page.evaluate(`build(${n})`);
    }
    rmSync(`${file}.tmp`, { force: true });
    await take(file);
    const result: ChromiumShapeMeta = {
      file,
      kind: 'chromium',
      targetMB: sizeMB,
      units,
      bytes: statSync(file).size,
      sampleIds: {},
      bytesPerUnit,
      emptyPageBytes: empty,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      chromium: page.version,
      html,
      createdAt: new Date().toISOString(),
    };
    return result;
  });
  writeFileSync(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  console.log(`  ${file}: ${(meta.bytes / 1e6).toFixed(1)} MB in ${meta.seconds.toFixed(1)} s`);
  return file;
}
