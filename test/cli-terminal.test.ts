// A terminal's manners through the real CLI (env and TTY are the point, so real processes): COLUMNS,
// --wide, NO_COLOR / FORCE_COLOR / --color under a pipe and a pseudo-terminal, --bytes, and the
// helpful errors: a mistyped command, an unknown class, leaks snapshots out of order.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BIN, FIXTURES, SAMPLES, ingestOnce, runCli, tempDir } from './helpers/env.js';
import { displayWidth } from '../src/render/terminal.js';

const dir = tempDir('heapdiff-cli-terminal-');
after(() => rmSync(dir, { recursive: true, force: true }));
const cache = join(dir, 'cache');
const chrome = () => ingestOnce(join(FIXTURES, 'chrome-small-1.heapsnapshot.gz'));
const leak = () => ingestOnce(join(SAMPLES, 'node-leak-after.heapsnapshot.gz'));
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cacheDir: cache, env });
const ESC = '\u001b[';

const hasScript = existsSync('/usr/bin/script');
/** Runs the CLI under a pseudo-terminal (util-linux `script`) and returns what the terminal showed. */
function underPty(args: string[], env: Record<string, string> = {}): string {
  const cmd = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qfec', cmd, '/dev/null'], {
    encoding: 'utf8',
    env: { ...process.env, COLUMNS: undefined, NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: 'xterm', HEAPDIFF_CACHE_DIR: cache, ...env },
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return r.stdout;
}

test('a mistyped command gets one "did you mean" line and exit 2', () => {
  const cases: [string[], string][] = [
    [['partiton', 'app.heapsnapshot'], 'heapdiff: unknown command "partiton": did you mean "partition"?\n'],
    [['-q', 'stast', 'app.heapsnapshot'], 'heapdiff: unknown command "stast": did you mean "stats"?\n'],
    [['leak', 'a', 'b', 'c'], 'heapdiff: unknown command "leak": did you mean "leaks"?\n'],
    [['retainer'], 'heapdiff: unknown command "retainer": did you mean "retainers"?\n'],
  ];
  for (const [args, stderr] of cases) {
    const r = cli(args);
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.stderr, stderr);
    assert.equal(r.stdout, '');
  }
  // Not close to any command: the default command's own message (a file that does not exist).
  const far = cli(['xyzzy', 'other']);
  assert.equal(far.status, 2);
  assert.doesNotMatch(far.stderr, /did you mean/);
  // Path-like words and existing files are snapshots, however close to a command's name.
  assert.doesNotMatch(cli(['./partiton', 'b.heapsnapshot']).stderr, /unknown command/);
  writeFileSync(join(dir, 'stast'), 'not a snapshot');
  const r = spawnSync(process.execPath, [BIN, 'stast', 'stast'], { cwd: dir, encoding: 'utf8', env: { ...process.env, HEAPDIFF_CACHE_DIR: cache } });
  assert.equal(r.status, 2);
  assert.doesNotMatch(r.stderr, /unknown command/);
});

test('an unknown class name gets the closest class names', () => {
  for (const [name, want] of [
    ['Sesion', '"Session"'],
    ['session', '"Session"'],
    ['Sesions', '"Session"'],
  ] as const) {
    const r = cli(['retainers', leak(), name]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr.split('\n').length, 2, 'one line');
    assert.match(r.stderr, new RegExp(`no class named "${name}" in this snapshot \\(did you mean ${want}`));
  }
  const none = cli(['retainers', leak(), 'Qwxyzzy']);
  assert.equal(none.status, 2);
  assert.doesNotMatch(none.stderr, /did you mean/);
});

test('text fits COLUMNS (100 off a terminal); --wide keeps every name whole', () => {
  const widest = (text: string) => Math.max(...text.split('\n').map(displayWidth));
  const runs: [string[], number][] = [
    [['partition', chrome(), '--top', '30'], 70], // heapy's numbers take 52 columns; a kind at least 12
    [['partition', chrome(), '--top', '30', '--retained'], 80],
    [['dominators', chrome(), '--depth', '2'], 70],
    [['inspect', leak(), '@57243'], 70], // the edge tables' numbers take 50 columns
    [['strings', chrome()], 72],
    [['stats', chrome()], 50],
    [['sql', chrome(), 'SELECT id, name FROM nodes WHERE length(name) > 150 LIMIT 5'], 60],
  ];
  for (const [args, columns] of runs) {
    const r = cli(args, { COLUMNS: String(columns) });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(widest(r.stdout) <= columns, `${args[0]} at COLUMNS=${columns}: ${widest(r.stdout)}`);
    assert.ok(widest(cli(args).stdout) <= 100, `${args[0]} off a terminal`);
  }
  // heapy's partition table at the default width is unchanged; a narrower terminal shortens the kinds.
  const narrow = cli(['partition', chrome(), '--top', '3'], { COLUMNS: '70' }).stdout.split('\n');
  assert.equal(narrow[1], ' Index  Count   %     Size   % Cumulative  % Kind (class / type)');
  assert.match(narrow[2], /^ {5}0 +2 +0 +1448576 +32 +1448576 +32 system .*…\w+$/);
  assert.equal(narrow[2].length, 70);
  const wide = cli(['sql', chrome(), 'SELECT name FROM nodes WHERE length(name) > 300 LIMIT 1', '--wide'], { COLUMNS: '40' }).stdout;
  assert.ok(widest(wide) > 300, '--wide: no limit');
});

test('colour: FORCE_COLOR, NO_COLOR and --color on a pipe and a terminal; never in CSV, JSON or Markdown', {
  skip: !hasScript && 'needs util-linux script',
}, () => {
  const args = ['partition', chrome(), '--top', '2', '-q'];
  assert.ok(!cli(args).stdout.includes(ESC), 'a pipe: no colour');
  assert.ok(cli(args, { FORCE_COLOR: '1' }).stdout.includes(`${ESC}1m`), 'FORCE_COLOR on a pipe');
  assert.ok(!cli(args, { FORCE_COLOR: '0' }).stdout.includes(ESC), 'FORCE_COLOR=0');
  assert.ok(cli([...args, '--color', 'always']).stdout.includes(ESC), '--color always');
  for (const f of ['csv', 'json', 'md']) assert.ok(!cli([...args, '-f', f], { FORCE_COLOR: '1' }).stdout.includes(ESC), `-f ${f}`);
  assert.ok(underPty(args).includes(`${ESC}1m`), 'a terminal gets colour');
  assert.ok(!underPty(args, { NO_COLOR: '1' }).includes(ESC), 'NO_COLOR on a terminal');
  assert.ok(!underPty([...args, '--color', 'never']).includes(ESC), '--color never on a terminal');
  assert.ok(underPty(args, { NO_COLOR: '1', FORCE_COLOR: '1' }).includes(ESC), 'FORCE_COLOR beats NO_COLOR');
});

test('--bytes: exact byte counts with separators instead of human sizes', () => {
  const human = cli(['stats', chrome()]).stdout;
  const exact = cli(['stats', chrome(), '--bytes']).stdout;
  assert.match(human, /^ +4\.47 MB 100 Total$/m);
  assert.match(exact, /^ *4,470,487 B 100 Total$/m);
  assert.match(exact, /^Total size 4,470,487 B /m);
  // heapy's partition table prints raw integers either way.
  assert.equal(cli(['partition', chrome(), '--bytes']).stdout, cli(['partition', chrome()]).stdout);
});

test('leaks warns on one stderr line when the snapshots are out of order, and still reports', () => {
  const [b, t, f] = ['before', 'after', 'final'].map((n) => ingestOnce(join(SAMPLES, `node-leak-${n}.heapsnapshot.gz`)));
  const inOrder = cli(['leaks', b, t, f, '-q']);
  assert.equal(inOrder.status, 0, inOrder.stderr);
  assert.equal(inOrder.stderr, '');
  const swapped = cli(['leaks', b, f, t, '-q']);
  assert.equal(swapped.status, 0, swapped.stderr);
  assert.match(
    swapped.stderr,
    /^heapdiff: warning: the snapshots' largest object ids \(BASELINE \d+, TARGET \d+, FINAL \d+\) are out of order: FINAL was taken before TARGET; are the arguments in the order BASELINE TARGET FINAL\?\n$/,
  );
  assert.match(swapped.stdout, /→ node-leak-final\.db → node-leak-after\.db: [\d,]+ objects allocated/, 'the report still runs');
  const json = JSON.parse(cli(['leaks', t, b, f, '-q', '-f', 'json']).stdout);
  assert.equal(json.same_process, true);
  assert.match(json.note, /TARGET was taken before BASELINE/);
});
