// The package as users get it: `npm pack` (its prepack script builds dist/ with the .d.ts files), then
// `npm install -g` of the tarball into a temporary prefix, where no TypeScript is installed; the
// `heapdiff` on that PATH and `import('heapdiff')` must work. The pack runs in a staging copy of the
// package's sources, so this run's dist/ (which the other test files are loading) is never rewritten.
//
// Dependencies come from npm's cache or the registry (--prefer-offline). Their install scripts are
// skipped (better-sqlite3 would otherwise compile SQLite for a minute where its prebuilt binary cannot
// be downloaded); the native module built for this checkout is copied in instead, when its version is
// the one installed. The test skips, saying so, only when the registry cannot be reached.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { after, test } from 'node:test';
import { VERSION } from '../src/version.js';
import { ROOT, SAMPLES, runInProcessJson, tempDir } from './helpers/env.js';

const dir = tempDir('heapdiff-package-');
after(() => rmSync(dir, { recursive: true, force: true }));

/** npm with the caller's npm_* variables removed: `npm test` sets some that would change a nested npm. */
function npm(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
  const r = spawnSync('npm', args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const NETWORK = /\b(ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET|ENETUNREACH|EHOSTUNREACH)\b/;

test('npm pack → npm install -g: a working `heapdiff` on PATH and import("heapdiff"), without TypeScript', { timeout: 600_000 }, async (t) => {
  // A staging copy: what the repository holds for a pack (sources, docs, configs), node_modules linked.
  const stage = join(dir, 'stage');
  mkdirSync(stage);
  for (const f of ['package.json', 'README.md', 'LICENSE', 'tsconfig.json', 'tsconfig.build.json', 'bin', 'scripts', 'src', 'docs'])
    cpSync(join(ROOT, f), join(stage, f), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(stage, 'node_modules'), 'dir');

  // `npm pack` runs prepack and then prepare, two identical builds: run prepack alone, then pack.
  const build = npm(['run', 'prepack'], stage);
  assert.equal(build.status, 0, build.stdout + build.stderr);
  const pack = npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], stage);
  assert.equal(pack.status, 0, pack.stderr);
  const [info] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
  const files = info.files.map((f) => f.path).sort();
  for (const f of [
    'LICENSE',
    'README.md',
    'package.json',
    'bin/heapdiff',
    'dist/src/cli/main.js',
    'dist/src/api/index.js',
    'dist/src/api/index.d.ts',
    'docs/format.md',
  ]) {
    assert.ok(files.includes(f), `${f} is in the tarball`);
  }
  const unwanted = files.filter(
    (f) => !/^(bin|dist\/src|docs)\/|^(LICENSE|README\.md|package\.json)$/.test(f) || /\.heapsnapshot|\.test\.|(^|\/)test\//.test(f),
  );
  assert.deepEqual(unwanted, [], 'nothing but the compiled code, its types, bin, docs, README and LICENSE');
  assert.ok(!files.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')), 'no TypeScript sources');
  assert.equal(
    files
      .filter((f) => f.endsWith('.js'))
      .filter((f) => !files.includes(f.replace(/\.js$/, '.d.ts')) && f.startsWith('dist/'))
      .join(' '),
    '',
    'a .d.ts beside every module',
  );

  const prefix = join(dir, 'global');
  const install = npm(['install', '-g', '--prefix', prefix, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', join(dir, info.filename)], dir);
  if (install.status !== 0 && NETWORK.test(install.stderr)) {
    t.skip(`the npm registry is unreachable: ${install.stderr.split('\n').find((l) => NETWORK.test(l))}`);
    return;
  }
  assert.equal(install.status, 0, install.stderr);
  const lib = join(prefix, 'lib', 'node_modules');
  const installed = join(lib, 'heapdiff');
  assert.ok(!existsSync(join(installed, 'node_modules', 'typescript')) && !existsSync(join(lib, 'typescript')), 'TypeScript is not installed');
  assert.ok(!existsSync(join(installed, 'test')), 'no tests installed');

  // better-sqlite3's native module: the one built for this checkout, when the versions agree; else build it.
  const sqliteDir = join(installed, 'node_modules', 'better-sqlite3');
  const version = (d: string) => (JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { version: string }).version;
  const ours = join(ROOT, 'node_modules', 'better-sqlite3');
  if (version(sqliteDir) === version(ours))
    cpSync(join(ours, 'build', 'Release', 'better_sqlite3.node'), join(sqliteDir, 'build', 'Release', 'better_sqlite3.node'));
  else assert.equal(npm(['rebuild', 'better-sqlite3'], installed).status, 0, 'better-sqlite3 rebuilt');

  // The bin, found on PATH by name.
  const env = { ...process.env, PATH: `${join(prefix, 'bin')}${delimiter}${process.env.PATH}`, HEAPDIFF_CACHE_DIR: join(dir, 'cache') };
  const run = (args: string[]) => spawnSync('heapdiff', args, { env, encoding: 'utf8', cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  const v = run(['--version']);
  assert.equal(v.status, 0, v.stderr);
  assert.equal(v.stdout.trim(), VERSION);
  const sample = join(SAMPLES, 'node-leak-before.heapsnapshot.gz');
  const stats = run(['stats', sample, '--format', 'json', '--quiet']);
  assert.equal(stats.status, 0, stats.stderr);
  const here = await runInProcessJson(['stats', sample], { cacheDir: join(dir, 'cache-checkout') });
  assert.deepEqual(JSON.parse(stats.stdout), here, 'the installed heapdiff answers as this checkout does');
  assert.equal(readdirSync(join(dir, 'cache')).filter((f) => f.endsWith('.db')).length, 1, 'ingested into the cache on first use');

  // The library: a module next to the global node_modules resolves `heapdiff` through package.json's exports.
  const probe = join(prefix, 'lib', 'probe.mjs');
  writeFileSync(
    probe,
    `const m = await import('heapdiff');
     const pkg = (await import('heapdiff/package.json', { with: { type: 'json' } })).default;
     console.log(JSON.stringify({ resolved: import.meta.resolve('heapdiff'), keys: Object.keys(m).sort(), name: pkg.name, version: pkg.version }));`,
  );
  const p = spawnSync(process.execPath, [probe], { encoding: 'utf8', cwd: dir });
  assert.equal(p.status, 0, p.stderr);
  const out = JSON.parse(p.stdout) as { resolved: string; keys: string[]; name: string; version: string };
  assert.equal(out.resolved, `file://${join(installed, 'dist', 'src', 'api', 'index.js')}`);
  assert.deepEqual([out.name, out.version], ['heapdiff', VERSION]);
  assert.ok(out.keys.length > 0, 'the main export exports something');
  const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { exports: Record<string, { types?: string }> };
  assert.ok(existsSync(join(installed, pkg.exports['.'].types!)), 'the types of the main export are installed');
});
