// Output that cannot hurt: a real Node.js snapshot whose class names, property names and strings hold
// ANSI escape sequences, newlines, tabs, bidi overrides and 5 000-character names. Text output must
// escape them and keep every table line intact; --wide keeps long names whole; JSON stays exact.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeNodeSnapshot, runInProcess, tempDir } from './helpers/env.js';

const dir = tempDir('heapdiff-query-hostile-');
const cache = join(dir, 'cache');
const EVIL = '\u001b[31mRED\u001b[0m\nsecond line\ttab\u202eEVIL';
const SCRIPT = String.raw`
const v8 = require('v8');
const evil = ${JSON.stringify(EVIL)};
const long = 'L'.repeat(5000);
// Plain objects sharing one shape get the inferred class name {<property>}: a hostile class name.
const Long = new Function('return class ' + long + ' {}')();
const keep = (globalThis.keep = {});
keep.evils = Array.from({ length: 50 }, (_, i) => ({ [evil]: [i] }));
keep.longs = [new Long(), new Long()];
keep.strs = [evil + ' value', long + ' tail'];
keep[evil] = { [evil]: 1, [long]: 2 };
keep.dups = [0, 1, 2].map(() => (evil + ' duplicated ' + long).split('').join(''));
v8.writeHeapSnapshot(process.env.OUT);
`;
const snap = makeNodeSnapshot(dir, 'hostile', SCRIPT);
const dbPath = join(dir, 'hostile.db');
const ing = await runInProcess(['ingest', snap, '--db', dbPath, '--quiet'], { cacheDir: cache });
const cli = (args: string[]) => runInProcess(args, { cacheDir: cache });

/** No raw control characters other than the line breaks of the output itself, no bidi overrides. */
function assertSafe(text: string, what: string): void {
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/, `${what}: raw control or bidi character`);
}

const EVIL_ESCAPED = '\\e[31mRED\\e[0m\\nsecond line\\ttab\\u202eEVIL';
/** The inferred class name of the hostile plain objects. */
const EVIL_CLASS = `{${EVIL}}`;
const EVIL_CLASS_ESCAPED = `{${EVIL_ESCAPED}}`;

test('ingest of the hostile snapshot works', async () => {
  assert.equal(ing.status, 0, ing.stderr);
});

test('partition text: escaped kinds, every row intact, long names shortened (--wide keeps them)', async () => {
  const r = await cli(['partition', dbPath, '--all']);
  assert.equal(r.status, 0, r.stderr);
  assertSafe(r.stdout, 'partition');
  const lines = r.stdout.trimEnd().split('\n');
  for (const l of lines.slice(2)) assert.match(l, /^[ \d]{6} [ \d]{6} [ \d]{3} [ \d]{8} [ \d]{3} [ \d]{9} [ \d]{3} \S/, l);
  assert.ok(
    lines.some((l) => l.endsWith(EVIL_CLASS_ESCAPED)),
    'the evil class name, escaped',
  );
  const longRow = lines.find((l) => l.includes('LLLL'))!;
  assert.ok(longRow.length <= 100 && longRow.includes('…'), `shortened: ${longRow.length}`);
  const wide = (await cli(['partition', dbPath, '--all', '--wide'])).stdout;
  assertSafe(wide, 'partition --wide');
  assert.ok(wide.includes('L'.repeat(1000)), '--wide keeps the name as V8 stored it (cut at 1024 characters by V8)');
  const json = JSON.parse((await cli(['partition', dbPath, '--all', '--format', 'json'])).stdout);
  assert.ok(
    json.rows.some((r: { kind: string }) => r.kind === EVIL_CLASS),
    'JSON carries the exact name',
  );
  const csv = (await cli(['partition', dbPath, '--all', '--format', 'csv'])).stdout;
  assertSafe(csv, 'csv');
  const md = (await cli(['partition', dbPath, '--all', '--format', 'md'])).stdout;
  assertSafe(md, 'md');
  for (const l of md.trimEnd().split('\n').slice(2)) assert.match(l, /^\|.*\|$|^$|^_/, 'markdown rows stay rows');
});

test('retainers, inspect, dominators, strings, sql: escaped text, exact JSON', async () => {
  const id = JSON.parse((await cli(['sql', dbPath, `SELECT id FROM nodes WHERE class_name = ${sqlString(EVIL_CLASS)} LIMIT 1`, '--format', 'json'])).stdout)
    .rows[0][0];
  assert.ok(id > 0);
  for (const args of [
    ['retainers', dbPath, `@${id}`, '--paths', '3'],
    ['retainers', dbPath, EVIL_CLASS],
    ['inspect', dbPath, `@${id}`],
    ['dominators', dbPath, '--min-percent', '0', '--top', '20'],
    ['strings', dbPath, '--duplicates', '--all'],
    ['sql', dbPath, "SELECT name, class_name FROM nodes WHERE name LIKE '%RED%'"],
  ]) {
    const r = await cli(args);
    assert.equal(r.status, 0, `${args[0]}: ${r.stderr}`);
    assertSafe(r.stdout, args.slice(0, 3).join(' '));
    const j = await cli([...args, '--format', 'json']);
    assert.equal(j.status, 0);
    assert.ok(j.stdout.includes('\\u001b[31mRED'), `${args[0]} JSON escapes ESC as \\u001b`);
    JSON.parse(j.stdout);
  }
  const strings = (await cli(['strings', dbPath, '--duplicates', '--all'])).stdout;
  assert.ok(strings.includes(`"${EVIL_ESCAPED} duplicated LLL`), 'duplicated hostile string listed, escaped');
  const retainers = (await cli(['retainers', dbPath, `@${id}`])).stdout;
  assert.ok(retainers.includes(`${EVIL_CLASS_ESCAPED} @${id}`), retainers);
});

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
