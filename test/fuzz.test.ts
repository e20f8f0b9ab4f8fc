// The fuzzer as part of the suite: a fixed-seed run (the same cases every time; see test/fuzz/), and
// every input a fuzz run ever failed on (test/fuzz-corpus/, gzip), through the same checks: in-process
// (parse, both parse paths, JSON.parse agreement, ingest) and the real CLI (exit 0 or 2 and one line,
// nothing left behind, stats/partition on what was ingested).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { Checker, runFuzz } from './fuzz/fuzz.js';
import { ROOT } from './helpers/env.js';

const CORPUS = join(ROOT, 'test/fuzz-corpus');

test('a fixed-seed fuzz run keeps every invariant', { timeout: 900_000 }, async () => {
  const r = await runFuzz({ seed: 20261207, runs: 400, cliEvery: 40, cliAccepted: 3, timeoutSeconds: 120, saveDir: null });
  assert.deepEqual(
    r.failures.map((f) => `case ${f.caseIndex} (${f.seedName}: ${f.steps.join(', ')}): ${f.reason}`),
    [],
    'reproduce one with: npm run fuzz -- --seed 20261207 --case N',
  );
  // The run exercises both outcomes and the CLI (fixed seed: these counts are the same every time).
  assert.equal(r.cases, 400);
  assert.ok(r.accepted >= 30, `${r.accepted} accepted`);
  assert.ok(r.rejected >= 300, `${r.rejected} rejected`);
  assert.ok(r.reasons.size >= 60, `${r.reasons.size} kinds of rejection`);
  assert.ok(r.cliCommands >= 20, `${r.cliCommands} CLI commands`);
});

const corpus = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.gz'))
  .sort();
const checker = new Checker(120);
after(() => checker.close());

test('the regression corpus is there', () => {
  assert.ok(corpus.length >= 10, `${corpus.length} files in test/fuzz-corpus`);
});

/**
 * Cases found but not fixed yet (outside the parser): run as `todo` so they are seen but do not fail the
 * suite. Remove a name when its fix lands.
 */
const KNOWN: Record<string, string> = {};

for (const file of corpus) {
  test(`regression corpus: ${file}`, { timeout: 300_000, todo: KNOWN[file] }, async () => {
    const bytes = gunzipSync(readFileSync(join(CORPUS, file)));
    const { failure } = await checker.run(bytes, file.replace(/\.gz$/, ''), { bothPaths: true, cli: true });
    assert.equal(failure, null);
  });
}
