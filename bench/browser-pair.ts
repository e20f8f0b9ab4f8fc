// Two ~50 MB Chromium heap snapshots of one page with a planted growth between them, for
// `npm run bench -- --browser-pair` (the cost of naming leak suspects in `heapdiff A B`, and `retainers`).
//
// bench/browser-pair.html in Debian's headless Chromium over the DevTools protocol (playwright-core):
// build(CUSTOMERS, ROWS) makes the steady state (customers with orders, a live table), snapshot A;
// grow(GROWTH) renders rows, caches each in a Map of `CacheEntry` and subscribes an `onRowChange`
// closure, then removes the rows from the document (3 detached nodes each, kept by the cache and the
// closures), snapshot B. Both come from one protocol session, so object ids match. Written as plain
// `.heapsnapshot` files to bench/out/ (gitignored) with a `.meta.json`; reused unless --force.

import { CHROMIUM, QUIET_CHROMIUM_ARGS } from '../test/helpers/chromium.js';
import { createWriteStream, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export { CHROMIUM };
/** Chosen so each snapshot is ~50 MB (an empty page is ~2.7 MB). */
export const CUSTOMERS = 22_000;
export const ROWS = 2_000;
export const GROWTH = 5_000;
/** The planted class `retainers` is timed on. */
export const GROWTH_CLASS = 'CacheEntry';

export interface BrowserPair {
  base: string;
  target: string;
  meta: { seconds: number; baseBytes: number; targetBytes: number; customers: number; rows: number; growth: number };
}

export async function makeBrowserPair(root: string, outDir: string, force: boolean): Promise<BrowserPair> {
  const base = join(outDir, 'browser-pair-a.heapsnapshot');
  const target = join(outDir, 'browser-pair-b.heapsnapshot');
  const metaPath = join(outDir, 'browser-pair.meta.json');
  const key = { customers: CUSTOMERS, rows: ROWS, growth: GROWTH, html: readFileSync(join(root, 'bench/browser-pair.html'), 'utf8').length };
  if (!force && existsSync(base) && existsSync(target) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
    if (meta.key && JSON.stringify(meta.key) === JSON.stringify(key)) return { base, target, meta };
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: --browser-pair needs Debian's chromium`);
  const started = process.hrtime.bigint();
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [...QUIET_CHROMIUM_ARGS],
  });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(root, 'bench/browser-pair.html')).href);
    const cdp = await page.context().newCDPSession(page);
    let sink: ((chunk: string) => void) | null = null;
    cdp.on('HeapProfiler.addHeapSnapshotChunk', (e: { chunk: string }) => sink?.(e.chunk));
    await cdp.send('HeapProfiler.enable');
    const evaluate = async (expression: string) => {
      const r = (await cdp.send('Runtime.evaluate', { expression, returnByValue: true })) as { exceptionDetails?: { text: string } };
      if (r.exceptionDetails) throw new Error(`browser pair: ${expression}: ${r.exceptionDetails.text}`);
    };
    const take = async (path: string) => {
      const tmp = `${path}.tmp`;
      const out = createWriteStream(tmp);
      sink = (chunk) => out.write(chunk);
      await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      sink = null;
      await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
      renameSync(tmp, path);
    };
    await evaluate(`build(${CUSTOMERS}, ${ROWS})`);
    await take(base);
    await evaluate(`grow(${GROWTH})`);
    await take(target);
  } finally {
    await browser.close();
  }
  const meta = {
    key,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    baseBytes: statSync(base).size,
    targetBytes: statSync(target).size,
    customers: CUSTOMERS,
    rows: ROWS,
    growth: GROWTH,
  };
  writeFileSync(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  return { base, target, meta };
}
