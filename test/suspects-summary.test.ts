// `suspects` answers from the suspects summary written at ingest (summary_top_*: top-level objects, what
// they keep by class, biggest-child chains) exactly as from the store's whole node columns, for single
// and group suspects, thresholds and accumulation ratios; below the summary's minimum threshold and
// above its children limit it reads the columns.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { findSuspects, findSuspectsFromColumns } from '../src/analyses/suspects.js';
import { openDb } from '../src/store/open.js';
import { suspectsSummary } from '../src/store/queries/suspects.js';
import { FIXTURES, SAMPLES, ingestOnce } from './helpers/env.js';

for (const file of [join(SAMPLES, 'node-leak-final.heapsnapshot.gz'), join(FIXTURES, 'chrome-small-1.heapsnapshot.gz')]) {
  const name = file.split('/').pop()!;
  test(`suspects of ${name}: the summary's answers equal the whole columns'`, () => {
    const store = openDb(ingestOnce(file));
    try {
      const summary = suspectsSummary(store.db);
      assert.ok(summary, 'the store has a suspects summary');
      assert.ok(summary.top.length > 100);
      let groups = 0;
      let singles = 0;
      // The summary decides which suspects there are and what they keep; paths are traced the same way on
      // both sides, so the grid traces few (a full trace of a Chromium heap's group takes seconds), and the
      // defaults are compared once in full below.
      for (const threshold of [0.1, 2, 10]) {
        for (const bigDrop of [0.3, 1]) {
          const options = { threshold, bigDrop, children: 3, pathSample: 20, paths: 1 };
          const fast = findSuspects(store, options);
          assert.deepEqual(fast, findSuspectsFromColumns(store, options), `threshold ${threshold}, big drop ${bigDrop}`);
          groups += fast.suspects.filter((s) => s.suspect === 'class').length;
          singles += fast.suspects.filter((s) => s.suspect === 'object').length;
        }
      }
      assert.ok(groups > 0 && singles > 0, `${groups} group and ${singles} single suspects compared`);
      assert.deepEqual(findSuspects(store, {}), findSuspectsFromColumns(store, {}), 'the defaults');
      // Outside the summary's bounds: the columns answer.
      for (const options of [
        { threshold: 0.05, pathSample: 20, paths: 1 },
        { threshold: 1, children: 60, pathSample: 20, paths: 1 },
      ])
        assert.deepEqual(findSuspects(store, options), findSuspectsFromColumns(store, options));
    } finally {
      store.db.close();
    }
  });
}
