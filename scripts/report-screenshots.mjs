#!/usr/bin/env node
// Regenerates the report screenshots in docs/images/ from the samples (needs `npm run build` and
// /usr/bin/chromium): the answer of a diff, the treemap drilled one level, an object's details.
//   node scripts/report-screenshots.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'heapdiff-shots-'));
const sample = (n) => join(root, 'samples', `node-leak-${n}.heapsnapshot.gz`);
const html = join(dir, 'diff.html');
execFileSync(process.execPath, [join(root, 'bin/heapdiff'), 'report', sample('before'), sample('after'), '-o', html, '-q'], {
  env: { ...process.env, HEAPDIFF_CACHE_DIR: join(dir, 'cache') },
  stdio: 'inherit',
});
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 820 }, colorScheme: 'light' });
  await page.goto(pathToFileURL(html).href);
  await page.waitForSelector('html[data-ready="1"]');
  const out = (name) => join(root, 'docs/images', name);
  await page.locator('#suspects button.toggle').first().click();
  await page.screenshot({ path: out('report-answer.png') });
  await page.locator('#treemap').scrollIntoViewIfNeeded();
  await page.evaluate(() => document.getElementById('treemap').scrollIntoView());
  await page.screenshot({ path: out('report-treemap.png') });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator('#suspects ol.hops button.obj').nth(-3).click();
  await page.waitForSelector('#details.open');
  await page.waitForTimeout(300);
  await page.screenshot({ path: out('report-details.png') });
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
