// Heap strings are untrusted: a real Node.js heap whose class names (plain objects are named after
// their properties), property names, global names and string values are HTML, script and bidi attacks.
// The report must show them literally, execute none of them, and load nothing.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { embedJson } from '../src/render/html/page.js';
import { BROWSER_SKIP, launchBrowser, openReport } from './helpers/browser.js';
import { makeNodeSnapshot, runCli, tempDir } from './helpers/env.js';

const dir = tempDir('heapdiff-report-security-');
let browser: Browser;
before(async () => {
  if (!BROWSER_SKIP) browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const CLOSE_SCRIPT = '</script><script>window.__pwned=1</script>';
const IMG = '<img src=x onerror="window.__pwned=2">';
const JS_URL = 'javascript:window.__pwned=3';
const BIDI = '\u202Egnp.exe';
const AMP = '&lt;b&gt;entity&amp;';

// 20,000 objects shaped { CLOSE_SCRIPT, IMG } (class `{</script>…, <img …>}`) under a global named
// with a bidi override and a javascript: URL, so the hostile names are in the first suspect, its path,
// what it keeps, the tables and the details; duplicated hostile strings for the strings table.
const SCRIPT = String.raw`
const K1 = ${JSON.stringify(CLOSE_SCRIPT)}, K2 = ${JSON.stringify(IMG)}, K3 = ${JSON.stringify(BIDI + JS_URL)};
globalThis[K3] = { [K2]: Array.from({ length: 20000 }, (_, i) => ({ [K1]: i, [K2]: 'v' + i })) };
globalThis[${JSON.stringify(AMP)}] = Array.from({ length: 6 }, (_, i) => [${JSON.stringify(JS_URL)}, ${JSON.stringify(CLOSE_SCRIPT)}, String(i % 2)].join(''));
require('v8').writeHeapSnapshot(process.env.OUT);`;

test('embedJson escapes what could end the data block or start markup', () => {
  const s = embedJson({ a: '</script><!-- & \u2028\u2029 >' });
  assert.doesNotMatch(s, /[<>&\u2028\u2029]/);
  assert.deepEqual(JSON.parse(s), { a: '</script><!-- & \u2028\u2029 >' });
});

test('hostile names in a real heap: shown literally, nothing executes, nothing loads', { skip: BROWSER_SKIP }, async () => {
  const snap = makeNodeSnapshot(dir, 'hostile', SCRIPT);
  const file = join(dir, 'hostile.html');
  const r = runCli(['report', snap, '-o', file, '-q', '--threshold', '20']);
  assert.equal(r.status, 0, r.stderr);
  const html = readFileSync(file, 'utf8');
  // The raw text never appears as markup: the data block escapes `<`, `>` and `&`.
  for (const bad of ['</script><script>window', '<img src=x', BIDI]) assert.ok(!html.includes(bad), `raw ${JSON.stringify(bad)} in the file`);
  assert.equal(html.match(/<script/gi)?.length, 2);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-[A-Za-z0-9+/=]+&#39;;/);

  const { page, log } = await openReport(browser, file);
  try {
    // Walk the whole page so every view has drawn its hostile names.
    const show = page.locator('#suspects button.toggle', { hasText: 'Show path' });
    while ((await show.count()) > 0) await show.first().click();
    for (const fold of await page.locator('#suspects li.fold button').all()) await fold.click();
    await page.fill('#search', '<img');
    await page.locator('#search-results li').first().click();
    for (const tab of ['partition', 'strings', 'stats']) await page.click(`#tabs button[data-tab="${tab}"]`);
    await page.click('#tabs button[data-tab="strings"]');
    await page
      .locator('#tm .cell')
      .first()
      .click({ position: { x: 5, y: 5 } });
    const state = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      scripts: document.scripts.length,
      imgs: document.images.length,
      iframes: document.querySelectorAll('iframe, object, embed, link, a[href], form').length,
      text: document.body.innerText,
      rawBidi: document.body.textContent!.includes('\u202E'),
    }));
    assert.equal(state.pwned, undefined, 'a planted script ran');
    assert.equal(state.scripts, 2);
    assert.equal(state.imgs, 0, 'an <img> from the heap was parsed');
    assert.equal(state.iframes, 0);
    assert.deepEqual(log.dialogs, []);
    assert.deepEqual(log.errors, [], 'console errors (a CSP violation would show here)');
    assert.deepEqual(log.requests, [], 'network requests');
    // Shown literally: the class name, the property name, the string value; the bidi override as a visible escape.
    const quoted = JSON.stringify(IMG); // a plain object's class lists its property names, quoted when not identifiers
    assert.ok(state.text.includes(`{${quoted}}`), 'the hostile class name');
    assert.ok(state.text.includes(`[${quoted}]`), 'the hostile property name (an edge of the path)');
    assert.ok(state.text.includes(`${JS_URL}${CLOSE_SCRIPT}0`), 'the hostile string value');
    assert.ok(state.text.includes('\\u202egnp.exe'), 'the bidi override shown as \\u202e');
    assert.ok(!state.rawBidi, 'a raw U+202E reached the page');
  } finally {
    await page.close();
  }
});
