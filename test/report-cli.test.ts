// `heapdiff report` as a command: argument and output errors (one line, exit 2, nothing written), the
// default file name, `-o -`, `--open` with and without an opener, the page's one script and its CSP
// hash, and the vendored d3-hierarchy matching the installed package.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CLIENT_SCRIPT } from '../src/render/html/client.js';
import { contentSecurityPolicy, pageScript } from '../src/render/html/page.js';
import { defaultReportName } from '../src/cli/report.js';
import { BIN, ingestOnce, ROOT, SAMPLES, tempDir } from './helpers/env.js';

const dir = tempDir('heapdiff-report-cli-');
after(() => rmSync(dir, { recursive: true, force: true }));
const db = () => ingestOnce(join(SAMPLES, 'node-leak-before.heapsnapshot.gz'));

function run(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, HEAPDIFF_CACHE_DIR: join(dir, 'cache'), ...env },
    maxBuffer: 64 << 20,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('bad arguments: one line on stderr, exit 2, no file', () => {
  const cwd = join(dir, 'bad');
  mkdirSync(cwd);
  const four = run(['report', db(), db(), db(), db()], cwd);
  assert.equal(four.status, 2);
  assert.match(four.stderr, /^heapdiff: report: give 1 snapshot \(suspects\), 2 \(diff\) or 3 \(leaks\); got 4\n/);
  for (const [args, message] of [
    [['--children', '0'], /--children: expected a whole number >= 1/],
    [['--threshold', '0'], /--threshold: expected a percentage/],
    [['-o', join(dir, 'missing-dir', 'x.html')], /-o .*: no such directory/],
    [['-o', dir], /is a directory/],
  ] as const) {
    const r = run(['report', db(), ...args], cwd);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  const missing = run(['report', join(dir, 'nope.heapsnapshot')], cwd);
  assert.equal(missing.status, 2);
  assert.deepEqual(readdirSync(cwd), [], 'nothing written');
});

test('default name in the current directory, the path on stderr; -o - writes the page to stdout', () => {
  assert.equal(defaultReportName('/x/app.heapsnapshot.gz'), 'app-report.html');
  assert.equal(defaultReportName('b.db'), 'b-report.html');
  assert.equal(defaultReportName('C:\\dumps\\Heap-2024.heapsnapshot'), 'Heap-2024-report.html');
  const cwd = join(dir, 'default');
  mkdirSync(cwd);
  const r = run(['report', db(), '-q'], cwd);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  const file = join(cwd, 'node-leak-before-report.html');
  assert.ok(existsSync(file));
  assert.equal(r.stderr, `heapdiff: report written to ${file} (${(readFileSync(file).length / 1e6).toFixed(1)} MB)\n`);
  assert.deepEqual(readdirSync(cwd), ['node-leak-before-report.html'], 'no temporary file left');
  const out = run(['report', db(), '-o', '-', '-q'], cwd);
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /^<!DOCTYPE html>\n/);
  assert.match(out.stdout, /<\/html>\n$/);
});

test('--open hands the file to xdg-open; without one, a one-line note and the page is still written', {
  skip: process.platform !== 'linux' && 'xdg-open is the Linux opener',
}, async () => {
  const cwd = join(dir, 'open');
  const bin = join(cwd, 'bin');
  mkdirSync(bin, { recursive: true });
  const opened = join(cwd, 'opened.txt');
  writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\necho "$1" > ${JSON.stringify(opened)}\n`);
  chmodSync(join(bin, 'xdg-open'), 0o755);
  const r = run(['report', db(), '-o', 'r.html', '--open', '-q'], cwd, { PATH: `${bin}:${process.env.PATH}` });
  assert.equal(r.status, 0, r.stderr);
  for (let i = 0; i < 50 && !existsSync(opened); i++) await new Promise((res) => setTimeout(res, 100));
  assert.equal(readFileSync(opened, 'utf8').trim(), join(cwd, 'r.html'));
  const none = run(['report', db(), '-o', 'n.html', '--open', '-q'], cwd, { PATH: join(cwd, 'empty') });
  assert.equal(none.status, 0, none.stderr);
  assert.match(none.stderr, /\nheapdiff: --open: no xdg-open on this machine; open the file in a browser yourself\n$/);
  assert.ok(existsSync(join(cwd, 'n.html')));
});

test('the page: one inline script allowed by its hash, no HTML parsing of data in the client code', () => {
  const script = pageScript();
  const hash = createHash('sha256').update(script, 'utf8').digest('base64');
  assert.ok(contentSecurityPolicy(script).includes(`script-src 'sha256-${hash}'`));
  assert.match(contentSecurityPolicy(script), /^default-src 'none';/);
  for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function', 'href', 'fetch(', 'XMLHttpRequest']) {
    assert.ok(!CLIENT_SCRIPT.includes(sink), `client script uses ${sink}`);
  }
  assert.doesNotThrow(() => new Function(CLIENT_SCRIPT), 'the client script parses');
});

test('the vendored d3-hierarchy module matches node_modules (scripts/vendor-d3.mjs --check)', {
  skip: !existsSync(join(ROOT, 'node_modules/d3-hierarchy/dist/d3-hierarchy.min.js')) && 'd3-hierarchy not installed',
}, () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/vendor-d3.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
