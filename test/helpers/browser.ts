// Real Chromium for the report tests (Debian's /usr/bin/chromium driven by playwright-core). Tests that
// need it skip with BROWSER_SKIP when it is missing (`.ci/run` installs it).
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, HAS_CHROMIUM, QUIET_CHROMIUM_ARGS } from './chromium.js';

export { CHROMIUM };
export const BROWSER_SKIP: string | false = HAS_CHROMIUM ? false : `no browser: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)`;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [...QUIET_CHROMIUM_ARGS],
  });
}

/** What a page did while it was open: console errors, uncaught errors, dialogs, requests other than the file. */
export interface PageLog {
  errors: string[];
  dialogs: string[];
  requests: string[];
}

/** Opens a report file and waits until its script has drawn everything (`<html data-ready="1">`). */
export async function openReport(browser: Browser, file: string, viewport = { width: 1280, height: 900 }): Promise<{ page: Page; log: PageLog }> {
  const page = await browser.newPage({ viewport });
  const log: PageLog = { errors: [], dialogs: [], requests: [] };
  const url = pathToFileURL(file).href;
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log.errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.errors.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    log.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (r.url() !== url) log.requests.push(r.url());
  });
  await page.goto(url);
  await page.waitForSelector('html[data-ready="1"]', { timeout: 15000 });
  return { page, log };
}
