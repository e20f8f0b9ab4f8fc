// `heapdiff snap` against a real headless Chromium (Debian's /usr/bin/chromium) through its DevTools
// endpoint: two pages open, so the page is chosen with --page; the planted objects of the page show in
// the ingested snapshot. Skips, saying why, when no browser is installed.
import { CHROMIUM, HAS_CHROMIUM, QUIET_CHROMIUM_ARGS } from './helpers/chromium.js';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCliJson, tempDir } from './helpers/env.js';
import { groupsGone, killAll, runCliAsync, start } from './helpers/processes.js';

const dir = tempDir('heapdiff-browser-test-');
const cacheDir = join(dir, 'cache');
let server: Server | null = null;
after(async () => {
  killAll();
  server?.close();
  // Chromium's helper processes write to its profile until they are gone: wait for the whole group.
  await groupsGone();
  rmSync(dir, { recursive: true, force: true });
});

const PAGE = `<!doctype html><title>leaky page</title><script>
class BrowserPlanted { constructor(i) { this.i = i; this.label = 'bp-' + i; } }
window.kept = Array.from({ length: 2500 }, (_, i) => new BrowserPlanted(i));
document.title = 'leaky page ready';
</script>`;

test('Chromium page through http://127.0.0.1:PORT with --page: the 2,500 planted objects', {
  skip: HAS_CHROMIUM ? false : `${CHROMIUM} is not installed (.ci/run installs Debian's chromium)`,
}, async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(PAGE);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  const pageUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/leaky.html`;
  const profile = join(dir, 'profile');
  mkdirSync(profile);
  const browser = start(CHROMIUM, ['--headless', ...QUIET_CHROMIUM_ARGS, `--user-data-dir=${profile}`, '--remote-debugging-port=0', pageUrl], { group: true });
  const m = await browser.waitFor(/DevTools listening on ws:\/\/127\.0\.0\.1:(\d+)\//, 60_000);
  const endpoint = `http://127.0.0.1:${m[1]}`;
  // A second page (headless Chromium takes one URL on its command line).
  const opened = await fetch(`${endpoint}/json/new?about:blank`, { method: 'PUT' });
  assert.equal(opened.status, 200);
  // Wait until the page has run its script (its title changes).
  for (let i = 0; ; i++) {
    const list = (await (await fetch(`${endpoint}/json/list`)).json()) as { title: string }[];
    if (list.some((p) => p.title === 'leaky page ready')) break;
    if (i > 300) throw new Error(`page never became ready: ${JSON.stringify(list)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // Two pages: without --page heapdiff names them and stops.
  const ambiguous = await runCliAsync(['snap', endpoint, '-o', join(dir, 'x.heapsnapshot.gz'), '-q'], { cacheDir });
  assert.equal(ambiguous.status, 2, ambiguous.stderr);
  assert.match(ambiguous.stderr, /^heapdiff: http:\/\/127\.0\.0\.1:\d+: 2 targets; choose one with --page URL-SUBSTRING \(.*leaky\.html.*\)\n$/);
  assert.ok(!existsSync(join(dir, 'x.heapsnapshot.gz')));
  const none = await runCliAsync(['snap', endpoint, '--page', 'no-such-page', '-o', join(dir, 'x.heapsnapshot.gz'), '-q'], { cacheDir });
  assert.equal(none.status, 2);
  assert.match(none.stderr, /no page matches --page "no-such-page"/);

  const out = join(dir, 'page.heapsnapshot.gz');
  const r = await runCliAsync(['snap', endpoint, '--page', 'leaky.html', '-o', out, '-q'], { cacheDir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), out);
  const p = runCliJson(['partition', out, '--all'], { cacheDir });
  const row = p.rows.find((x: { kind: string }) => x.kind === 'BrowserPlanted');
  assert.equal(row?.count, 2500);
});
