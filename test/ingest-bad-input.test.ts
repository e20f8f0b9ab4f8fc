// Bad input gets one clear line, exit status 2, no stack trace and no database left behind.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeBadInputs } from './helpers/bad-inputs.js';
import { SAMPLES, readSnapshotBytes, runCli, tempDir } from './helpers/env.js';

const dir = tempDir();
const outs: string[] = [dir];
after(() => {
  for (const d of outs) rmSync(d, { recursive: true, force: true });
});
/** A fresh output directory, removed after the tests. */
function outDir(): string {
  const d = tempDir();
  outs.push(d);
  return d;
}
const cases = makeBadInputs(readSnapshotBytes(join(SAMPLES, 'node-leak-before.heapsnapshot.gz')), join(dir, 'in'));

function expectInputError(args: string[], expect: RegExp, outDir: string, mention: string): void {
  const r = runCli(args);
  assert.equal(r.status, 2, `exit status for ${mention}: ${r.stderr}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line expected, got:\n${r.stderr}`);
  assert.match(lines[0], /^heapdiff: /);
  assert.ok(lines[0].includes(mention), `error names the file: ${lines[0]}`);
  assert.match(lines[0], expect);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.deepEqual(readdirSync(outDir), [], 'no database or temporary file left');
}

for (const c of cases) {
  test(`bad input: ${c.name}`, () => {
    const out = join(dir, `out-${c.name}`);
    mkdirSync(out);
    expectInputError(['ingest', c.path, '--db', join(out, 'x.db')], c.expect, out, c.path);
  });
}

test('bad input: a directory', () => {
  const out = outDir();
  expectInputError(['ingest', dir, '--db', join(out, 'x.db')], /is a directory/, out, dir);
});

test('bad input: a missing path', () => {
  const out = outDir();
  const missing = join(dir, 'does-not-exist.heapsnapshot');
  expectInputError(['ingest', missing, '--db', join(out, 'x.db')], /no such file/, out, missing);
});

test('bad input: an existing database is not overwritten without --force', () => {
  const out = outDir();
  const db = join(out, 'x.db');
  writeFileSync(db, 'keep me');
  const r = runCli(['ingest', cases[0].path.replace('empty', 'truncated-0.5'), '--db', db]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /already exists/);
});

test('a usage error exits 2 with a hint', () => {
  const r = runCli(['ingest']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /heapdiff: /);
});

test('a snapshot starting with a UTF-8 byte-order mark is accepted', () => {
  const out = outDir();
  const bom = join(dir, 'bom.heapsnapshot');
  writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readSnapshotBytes(join(SAMPLES, 'node-leak-before.heapsnapshot.gz'))]));
  const r = runCli(['ingest', bom, '--db', join(out, 'x.db'), '--quiet']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readdirSync(out), ['x.db']);
});
