// heapy in the program (`hpy()`), in real Node processes: the example of docs/capture.md runs as
// written (its `import … from 'heapdiff'` goes to the compiled module when the package has no main
// export yet) and its three tables show what the script built; the API: relative heap, `where`,
// `more()`, rows, JSON, `clearrelheap()`, and no temporary files left behind.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { ROOT, tempDir } from './helpers/env.js';

const dir = tempDir('heapdiff-hpy-test-');
// The scripts' own temporary directory, to check that heap() cleans up after itself.
const tmp = join(dir, 'tmp');
mkdirSync(tmp);
after(() => rmSync(dir, { recursive: true, force: true }));

const HPY = pathToFileURL(join(ROOT, 'dist/src/capture/hpy.js')).href;

/** `from 'heapdiff'` → the compiled module, unless package.json exports a main entry (then it is used as is). */
function importable(source: string): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  if (pkg.exports?.['.']) return source;
  return source.replace(/from 'heapdiff';/g, `from ${JSON.stringify(HPY)};`);
}

function runScript(name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source);
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  try {
    execFileSync('ln', ['-sfn', ROOT, join(dir, 'node_modules', 'heapdiff')]);
  } catch {
    // already there
  }
  return execFileSync(process.execPath, [file], { encoding: 'utf8', env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
}

interface Table {
  objects: number;
  size: number;
  header: string;
  rows: Map<string, { count: number; size: number }>;
}

function tables(out: string): Table[] {
  return out
    .split(/^(?=Partition of a set of)/m)
    .filter((t) => t.startsWith('Partition'))
    .map((t) => {
      const lines = t.split('\n');
      const m = /^Partition of a set of (\d+) objects?\. Total size = (\d+) bytes\.$/.exec(lines[0])!;
      const rows = new Map<string, { count: number; size: number }>();
      for (const l of lines.slice(2)) {
        const r = /^\s+\d+\s+(\d+)\s+\d+\s+(\d+)\s+\d+\s+\d+\s+\d+ (.*)$/.exec(l);
        if (r) rows.set(r[3], { count: Number(r[1]), size: Number(r[2]) });
      }
      return { objects: Number(m[1]), size: Number(m[2]), header: lines[1], rows };
    });
}

test("docs/capture.md's heapy example runs and its tables show the lists it builds", () => {
  const doc = readFileSync(join(ROOT, 'docs/capture.md'), 'utf8');
  const block = /```js\n(\/\/ lists\.mjs\n[\s\S]*?)```/.exec(doc);
  assert.ok(block, 'the example is in docs/capture.md');
  const out = runScript('lists.mjs', importable(block[1]));
  const [t1, t2, t3] = tables(out);
  assert.ok(t1 && t2 && t3, out);
  // Relative to setrelheap: a few thousand objects, not the ~50,000 of a whole Node heap.
  assert.ok(t1.objects < 5000, `${t1.objects}`);
  const a1 = t1.rows.get('Array')!;
  assert.ok(a1.count >= 1001 && a1.count < 1100, JSON.stringify(a1));
  assert.ok(a1.size >= 1000 * 48, JSON.stringify(a1));
  // The hundred lists of 1,000 doubles: 100 × 8,000 bytes more.
  const a2 = t2.rows.get('Array')!;
  assert.ok(a2.count >= a1.count + 100, JSON.stringify(a2));
  assert.ok(a2.size - a1.size >= 100 * 1000 * 8, `${a2.size} - ${a1.size}`);
  // By type, after the short lists were dropped: the doubles are V8 "object" nodes (arrays with their elements).
  assert.match(t3.header, / Type$/);
  assert.ok(t3.rows.get('object')!.size >= 100 * 1000 * 8);
  assert.ok(t3.rows.get('object')!.count < a2.count / 2, 'the thousand short lists are gone');
  assert.equal(out.trim().split('\n').pop(), '100');
  assert.deepEqual(readdirSync(tmp), [], 'no temporary files left');
});

test('the API: where, more(), rows, JSON, clearrelheap()', () => {
  const out = runScript(
    'api.mjs',
    importable(`import { hpy } from 'heapdiff';
class Marker { constructor(i) { this.i = i; } }
const hp = hpy();
hp.setrelheap();
const markers = Array.from({ length: 123 }, (_, i) => new Marker(i));
const only = await hp.heap({ where: "class_name = 'Marker'" });
const all = await hp.heap();
const more = all.more();
hp.clearrelheap();
const whole = await hp.heap({ by: 'type', top: 3 });
hp.close();
console.log(JSON.stringify({
  only: { objects: only.result.objects, rows: only.rows.map((r) => [r.kind, r.count, r.size]) },
  rows: all.rows.length,
  json: JSON.parse(JSON.stringify(all)),
  moreText: String(more),
  moreFirst: more.pageRows[0]?.index,
  wholeObjects: whole.result.objects,
  wholeText: String(whole),
  kept: markers.length,
}));
`),
  );
  const r = JSON.parse(out);
  assert.equal(r.only.rows.length, 1);
  const [kind, count, size] = r.only.rows[0];
  assert.deepEqual([kind, count], ['Marker', 123]);
  assert.ok(size >= 123 * 16 && size % 123 === 0, `${size}`);
  assert.equal(r.only.objects, 123);
  assert.ok(r.rows > 10, `${r.rows}`);
  assert.equal(r.json.version, 1);
  assert.equal(r.json.rows.length, r.rows);
  assert.equal(r.json.more_rows, 0);
  assert.equal(r.moreFirst, 10);
  assert.match(r.moreText, /^ Index {2}Count {3}% {5}Size {3}% Cumulative {2}% Kind \(class \/ type\)\n {4}10 /);
  assert.ok(r.wholeObjects > 20000, `${r.wholeObjects}`);
  assert.match(r.wholeText, /^Partition of a set of \d+ objects\. Total size = \d+ bytes\.\n Index {2}Count {3}% {5}Size {3}% Cumulative {2}% Type\n/);
  assert.match(r.wholeText, /\n<\d+ more rows\. Type e\.g\. '_\.more\(\)' to view\.>\n$/);
  assert.equal(r.wholeText.trim().split('\n').length, 2 + 3 + 1);
  assert.deepEqual(readdirSync(tmp), [], 'no temporary files left');
});
