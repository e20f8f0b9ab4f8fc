// Two ~50 MB Chromium heap snapshots of one page with a planted growth between them, for
// `npm run bench -- --browser-pair` (the cost of naming leak suspects in `heapdiff A B`, and `retainers`).
//
// bench/browser-pair.html in Debian's headless Chromium over the DevTools protocol (playwright-core):
// build(CUSTOMERS, ROWS) makes the steady state (customers with orders, a live table), snapshot A;
// grow(GROWTH) renders rows, caches each in a Map of `CacheEntry` and subscribes an `onRowChange`
// closure, then removes the rows from the document (3 detached nodes each, kept by the cache and the
// closures), snapshot B. Both come from one protocol session, so object ids match. Written as plain
// `.heapsnapshot` files to bench/out/ (gitignored) with a `.meta.json`; reused unless --force.

import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM } from '../test/helpers/chromium.js';
import { withBenchPage } from './bench-page.js';

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
  const started = process.hrtime.bigint();
  await withBenchPage(root, 'browser-pair.html', '--browser-pair', [], async (page) => {
    await page.evaluate(`build(${CUSTOMERS}, ${ROWS})`);
    await page.take(base);
    await page.evaluate(`grow(${GROWTH})`);
    await page.take(target);
  });
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
