// Every ```sql block of docs/queries.md runs through the real `heapdiff sql` on the snapshots its
// `-- snapshots:` line names, succeeds, and returns rows where it says `-- expect: rows`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, ROOT, SAMPLES, ingestOnce, runInProcess, tempDir } from './helpers/env.js';

const dir = tempDir('heapdiff-query-docs-');
const cache = join(dir, 'cache');
const SNAPSHOTS: Record<string, string> = {
  'node-leak-before': join(SAMPLES, 'node-leak-before.heapsnapshot.gz'),
  'node-leak-after': join(SAMPLES, 'node-leak-after.heapsnapshot.gz'),
  'node-leak-final': join(SAMPLES, 'node-leak-final.heapsnapshot.gz'),
  'node-alloc': join(SAMPLES, 'node-alloc.heapsnapshot.gz'),
  'chrome-small-0': join(FIXTURES, 'chrome-small-0.heapsnapshot.gz'),
  'chrome-small-1': join(FIXTURES, 'chrome-small-1.heapsnapshot.gz'),
  'chrome-small-2': join(FIXTURES, 'chrome-small-2.heapsnapshot.gz'),
};
function db(name: string): string {
  const file = SNAPSHOTS[name];
  assert.ok(file, `unknown snapshot ${name} in a -- snapshots: line`);
  return ingestOnce(file);
}

const doc = readFileSync(join(ROOT, 'docs/queries.md'), 'utf8');
const blocks = [...doc.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]);

test('docs/queries.md holds at least ten worked queries', async () => {
  assert.ok(blocks.length >= 10, `${blocks.length} sql blocks`);
  for (const topic of [
    /retained_size DESC/,
    /to_node = t\.ordinal/,
    /s1\.meta/,
    /duplicate/i,
    /type = 'closure'/,
    /detachedness = 2/,
    /class_name = 'Array'/,
    /trace_function_infos/,
  ]) {
    assert.ok(
      blocks.some((b) => topic.test(b)),
      `a query matching ${topic}`,
    );
  }
});

blocks.forEach((sql, i) => {
  const snaps = /^-- snapshots: (.+)$/m.exec(sql)?.[1].trim().split(/\s+/) ?? ['node-leak-after'];
  const expectRows = /^-- expect: rows$/m.test(sql);
  const title = sql.split('\n').find((l) => !l.startsWith('--')) ?? '';
  test(`docs/queries.md query ${i + 1} runs (${snaps.join(', ')}): ${title.slice(0, 60)}`, async () => {
    const r = await runInProcess(['sql', ...snaps.map(db), sql, '--format', 'json'], { cacheDir: cache });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { version: number; columns: string[]; rows: unknown[][] };
    assert.equal(out.version, 1);
    if (expectRows) assert.ok(out.rows.length > 0, 'returns rows');
  });
});
