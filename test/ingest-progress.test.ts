// The progress bar appears only while stderr is a terminal, and never with --quiet.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN, FIXTURES, runCli, tempDir } from './helpers/env.js';

const hasScript = existsSync('/usr/bin/script');
const file = join(FIXTURES, 'chrome-small-1.heapsnapshot.gz');

/** Runs the CLI under a pseudo-terminal (util-linux `script`) and returns what the terminal showed. */
function underPty(args: string[]): string {
  const cmd = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qfec', cmd, '/dev/null'], { encoding: 'utf8', env: { ...process.env, HEAPDIFF_CACHE_DIR: tempDir() } });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return r.stdout;
}

test('a terminal gets a progress bar with phase, bytes and MB/s', { skip: !hasScript && 'needs util-linux script' }, () => {
  const out = underPty(['ingest', file, '--db', join(tempDir(), 'a.db')]);
  assert.match(out, /heapdiff: parse \[[#.]+\] \d+% \d+\/\d+ MB, \d+ MB\/s/);
  assert.match(out, /heapdiff: ingested 66872 nodes/);
});

test('--quiet draws nothing even on a terminal', { skip: !hasScript && 'needs util-linux script' }, () => {
  const out = underPty(['ingest', file, '--db', join(tempDir(), 'a.db'), '--quiet']);
  assert.doesNotMatch(out, /parse \[/);
  assert.match(out.trim(), /a\.db$/);
});

test('a pipe gets no progress output at all', () => {
  const r = runCli(['ingest', file, '--db', join(tempDir(), 'a.db')]);
  assert.equal(r.status, 0);
  assert.equal(r.stderr, '');
});
