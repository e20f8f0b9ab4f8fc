// `heapdiff report` in a real browser: the samples' planted leak (a `sessionCache` Map that keeps every
// `Session`) is the first suspect shown; paths expand and objects open their details; the treemap
// drills down and back; the classifier switch, table filter and search work; no console errors, no
// request, and the page stays small.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { BROWSER_SKIP, launchBrowser, openReport, type PageLog } from './helpers/browser.js';
import { ingestOnce, runCli, SAMPLES, tempDir } from './helpers/env.js';

const dir = tempDir('heapdiff-report-page-');
const sample = (n: string) => join(SAMPLES, `node-leak-${n}.heapsnapshot.gz`);
let browser: Browser;

function report(args: string[], name: string): string {
  const out = join(dir, name);
  const r = runCli(['report', ...args, '-o', out, '-q']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`report written to .*${name}`));
  return out;
}

before(async () => {
  if (!BROWSER_SKIP) browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const texts = (page: Page, selector: string) => page.$$eval(selector, (els) => els.map((e) => (e as HTMLElement).innerText));
function clean(log: PageLog) {
  assert.deepEqual(log.errors, [], 'console errors');
  assert.deepEqual(log.dialogs, [], 'dialogs');
  assert.deepEqual(log.requests, [], 'network requests');
}

describe('diff report of the samples (before → after)', { skip: BROWSER_SKIP }, () => {
  let page: Page;
  let log: PageLog;
  let file: string;
  before(async () => {
    file = report([ingestOnce(sample('before')), ingestOnce(sample('after'))], 'diff.html');
    ({ page, log } = await openReport(browser, file));
  });
  after(() => page?.close());

  test('the verdict names the leak and Session via sessionCache is the first suspect', async () => {
    assert.match(await page.innerText('#headline'), /^The heap grew by .*Leak suspects?: Session \(leaky-server\.mjs:\d+:\d+\)/);
    const titles = await texts(page, '#suspects > li .s-title');
    assert.match(titles[0], /^300 × Session \(leaky-server\.mjs:\d+:\d+\)$/);
    const first = page.locator('#suspects > li').first();
    // Held by, in the program's words (as the text report's "kept by"), and DevTools' shortest path on demand.
    assert.match(await first.locator('.path-named').first().innerText(), /^kept by sessionCache → Map\[entry\]\s+\(sessionCache: module leaky-server\.mjs\)$/);
    assert.match(await first.locator('.s-summary').innerText(), /^300 new objects .* retain /);
    // What the Sessions keep, by class: their Float64Array metrics and its backing store.
    const keeps = await first.locator('.keep').allInnerTexts();
    assert.ok(
      keeps.some((k) => /^300 × Float64Array\b/.test(k)),
      keeps.join(' | '),
    );
    assert.ok(
      keeps.some((k) => /^300 × system \/ JSArrayBufferData\b/.test(k)),
      keeps.join(' | '),
    );
  });

  test('expanding a path hop by hop and clicking an object opens its details', async () => {
    const first = page.locator('#suspects > li').first();
    await first.getByRole('button', { name: 'Show path' }).first().click();
    assert.match(await first.locator('.path-preview').first().innerText(), /\.sessionCache → Map\.table → \(internal array\)\[\d+\] → Session$/);
    const hops = first.locator('ol.hops > li:not(.fold)');
    assert.equal(await hops.last().locator('.lbl').innerText(), 'Session');
    const folded = first.locator('ol.hops > li.fold button');
    if ((await folded.count()) > 0) {
      const before = await first.locator('ol.hops > li').count();
      await folded.click();
      assert.ok((await first.locator('ol.hops > li').count()) > before, 'unfolding adds the hops from the GC roots');
    }
    // The Map hop: its details list its retainers and the `table` edge.
    const mapHop = first.locator('ol.hops > li').filter({ has: page.locator('.edge', { hasText: /^\.sessionCache$/ }) });
    await mapHop.locator('button.obj').click();
    await page.waitForSelector('#details.open');
    assert.match(await page.innerText('#details-title'), /^Map\s*@\d+$/);
    const body = await page.innerText('#details');
    assert.match(body, /Retained size\s+[\d,]+ bytes/);
    assert.match(body, /Outgoing edges \(\d+/i);
    assert.match(body, /\.table/);
    assert.match(body, /Retainers \(\d+/i);
    // Following an edge opens that object, and Back returns.
    const mapId = await page.getAttribute('#details', 'data-id');
    const edgeTarget = await page.locator('#details ul.links button.obj').first().getAttribute('data-id');
    await page.locator('#details ul.links button.obj').first().click();
    assert.equal(await page.getAttribute('#details', 'data-id'), edgeTarget);
    assert.match(await page.innerText('#details-title'), new RegExp(`@${edgeTarget}$`));
    await page.locator('#details button.back').click();
    assert.equal(await page.getAttribute('#details', 'data-id'), mapId);
    await page.keyboard.press('Escape');
    await page.waitForSelector('#details:not(.open)', { state: 'attached' });
  });

  test('the treemap drills into a box and back through the breadcrumbs', async () => {
    const crumbs = () => texts(page, '#crumbs button');
    assert.equal((await crumbs()).length, 1);
    const groups = page.locator('#tm .cell.group');
    assert.ok((await groups.count()) > 0);
    const target = await groups.first().getAttribute('data-id');
    await groups.first().click({ position: { x: 12, y: 8 } }); // its caption: the boxes inside are its children
    const path = await crumbs();
    assert.equal(path.length, 2);
    assert.equal(await page.getAttribute('#crumbs button.current', 'title').then((t) => /@(\d+)/.exec(t ?? '')?.[1]), target);
    assert.ok((await page.locator('#tm .cell').count()) > 0, 'the focused node has boxes');
    await page.locator('#crumbs button').first().click();
    assert.equal((await crumbs()).length, 1);
    // Colouring by new objects is offered (a diff) and can be switched.
    await page.click('#colour-by button[data-by="class"]');
    assert.equal(await page.getAttribute('#colour-by button.on', 'data-by'), 'class');
  });

  test('tables: the diff table, then the classifier switch changes the partition table', async () => {
    assert.equal(await page.getAttribute('#tabs button.on', 'data-tab'), 'diff');
    const diffKinds = await page.$$eval('#tab-body table.data tbody tr td:first-child', (tds) => tds.map((t) => (t as HTMLElement).innerText));
    assert.ok(diffKinds.includes('Session'));
    await page.click('#tabs button[data-tab="partition"]');
    const byClass = await page.$$eval('#tab-body table.data tbody tr td:first-child', (tds) => tds.slice(0, 5).map((t) => (t as HTMLElement).innerText));
    await page.click('#classifiers button[data-by="type"]');
    const header = await page.innerText('#tab-body table.data th:first-child');
    assert.match(header, /^Type/);
    const byType = await page.$$eval('#tab-body table.data tbody tr td:first-child', (tds) => tds.map((t) => (t as HTMLElement).innerText));
    assert.notDeepEqual(byType.slice(0, 5), byClass);
    assert.ok(byType.includes('closure') && byType.includes('string'), byType.join(', '));
    // Sorting by Count puts the biggest count first.
    await page.click('#tab-body table.data th[data-key="count"]');
    const counts = await page.$$eval('#tab-body table.data tbody tr:not(.rest) td:nth-child(2)', (tds) =>
      tds.map((t) => Number((t as HTMLElement).innerText.replace(/,/g, ''))),
    );
    assert.deepEqual(
      counts,
      [...counts].sort((a, b) => b - a),
    );
    // The filter narrows the rows.
    await page.fill('#tab-body input.table-filter', 'string');
    const filtered = await page.$$eval('#tab-body table.data tbody tr td:first-child', (tds) => tds.map((t) => (t as HTMLElement).innerText));
    assert.ok(filtered.length > 0 && filtered.every((k) => k.includes('string')), filtered.join(', '));
  });

  test('search finds a class and an @id', async () => {
    await page.fill('#search', 'Sessi');
    const hit = page.locator('#search-results li[data-kind="class"]').first();
    assert.match(await hit.innerText(), /Session/);
    await hit.click();
    assert.equal(await page.getAttribute('#tabs button.on', 'data-tab'), 'partition');
    assert.equal(await page.getAttribute('#classifiers button.on', 'data-by'), 'class');
    const rows = await page.$$eval('#tab-body table.data tbody tr td:first-child', (tds) => tds.map((t) => (t as HTMLElement).innerText));
    assert.ok(rows.includes('Session'), rows.join(', '));
    // An object by id: the first suspect path's Map.
    const id = await page.locator('#suspects ol.hops button.obj').last().getAttribute('data-id');
    await page.fill('#search', `@${id}`);
    await page.locator('#search-results li[data-kind="object"]').first().click();
    await page.waitForSelector('#details.open');
    assert.match(await page.innerText('#details-title'), new RegExp(`@${id}$`));
    await page.keyboard.press('Escape');
  });

  test('no console error, no dialog, no request; the file is self-contained and small', async () => {
    clean(log);
    const html = readFileSync(file, 'utf8');
    assert.doesNotMatch(html, /<[a-z][^>]*\s(?:src|href|action)\s*=/i, 'no element loads anything');
    assert.equal(html.match(/<script/g)?.length, 2, 'the data block and the one script');
    assert.ok(statSync(file).size < 5e6, `${statSync(file).size} bytes`);
  });
});

describe('one-snapshot and three-snapshot reports', { skip: BROWSER_SKIP }, () => {
  test('suspects of final: the module context that keeps the 305 Sessions', async () => {
    const file = report([ingestOnce(sample('final')), '--threshold', '5'], 'final.html');
    const { page, log } = await openReport(browser, file);
    try {
      assert.match(await page.innerText('#headline'), /^\d leak suspects?: /);
      const items = await texts(page, '#suspects > li');
      assert.ok(
        items.some((t) => /305 × Session/.test(t)),
        'a suspect accumulates the Sessions',
      );
      assert.equal(await page.getAttribute('#colour-by button.on', 'data-by'), 'class');
      assert.equal(await page.locator('#colour-by button').count(), 1, 'no "new" colouring for one snapshot');
      assert.equal(await page.locator('#tabs button[data-tab="diff"]').count(), 0);
      await page.click('#tabs button[data-tab="stats"]');
      assert.match(await page.innerText('#tab-body'), /V8 heap/);
      await page.click('#tabs button[data-tab="strings"]');
      assert.match(await page.innerText('#tab-body'), /duplicated strings/);
      clean(log);
    } finally {
      await page.close();
    }
  });

  test('leaks of before → after → final: Session first, the treemap coloured by leaked objects', async () => {
    const file = report([ingestOnce(sample('before')), ingestOnce(sample('after')), ingestOnce(sample('final'))], 'leaks.html');
    const { page, log } = await openReport(browser, file);
    try {
      assert.match(await page.innerText('#headline'), /leaked objects retain .*: Session \(leaky-server\.mjs:\d+:\d+\)/);
      assert.match((await texts(page, '#suspects > li .s-title'))[0], /^300 × Session \(leaky-server\.mjs:\d+:\d+\)$/);
      assert.equal(await page.getAttribute('#colour-by button.on', 'data-by'), 'new');
      assert.match(await page.innerText('#legend'), /allocated between baseline and target/);
      clean(log);
    } finally {
      await page.close();
    }
  });
});
