// Real heap snapshots of planted leaks, made by running the programs in test/scenarios/ (a web page in
// Debian's Chromium, a Node HTTP server, a Node process that runs out of heap). Each scenario is made once
// and cached under test/.tmp/scenarios/<name>-<key>/ (gitignored), where <key> hashes everything the
// snapshots depend on (the scenario's program, this generator's version, Node's version, Chromium's
// version): later runs and other test files reuse it, a changed program regenerates it, and older keys
// of the same scenario are removed. Two test processes asking at once do not both generate: the first
// takes a lock (an atomic mkdir of `<dir>.lock` holding its pid), generates into `<dir>.tmp-<pid>` and
// renames it into place; the others wait for the rename (or take over the lock when its owner died).
// `HEAPDIFF_SCENARIOS_DIR` moves the cache elsewhere.
//
// Determinism, so the reports can be compared with golden files: fixed counts everywhere, and the Node
// programs run with V8's `--predictable` (single-threaded, timing-free GC), which makes the near-heap-limit
// snapshot stop at the same number of chunks every run. What still varies between runs: heap object ids
// (`@123`), the absolute paths of the programs (they live in the checkout), and in Chromium a little of
// the engine's own state (totals, a few internal counts); the planted objects' counts and sizes do not.

import { CHROMIUM, HAS_CHROMIUM, QUIET_CHROMIUM_ARGS } from './chromium.js';
import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ROOT } from './env.js';

/** Bump when the way snapshots are made changes (the programs themselves are hashed). */
const GENERATOR_VERSION = 4;
export const SCENARIO_SOURCES = join(ROOT, 'test/scenarios');
export { CHROMIUM, HAS_CHROMIUM };
const CACHE = process.env.HEAPDIFF_SCENARIOS_DIR ?? join(ROOT, 'test/.tmp/scenarios');

/** The Node programs see the same environment whatever runs the tests (node --test adds variables). */
const CHILD_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' };
/**
 * V8 flags that make a Node heap the same from run to run: `--predictable` (GC without helper threads
 * or timing heuristics) and fixed seeds (string hashing and Math.random; with a random hash seed the
 * hash tables, and with them the moment the heap limit is reached, differ between runs).
 */
const DETERMINISTIC_V8 = ['--predictable', '--random-seed=42', '--hash-seed=42', '--no-opt', '--no-sparkplug'];

/** The planted leaks' fixed sizes: tests assert these counts. */
export const BROWSER_ITEMS = 3000;
export const SERVER_REQUESTS = 1000;
export const SERVER_WARMUP_REQUESTS = 20;
export const OOM_HEAP_MB = 32;

export interface Scenario {
  name: string;
  /** The cache directory holding the snapshots (and `meta.json`). */
  dir: string;
  /** Gzipped snapshot files by role (baseline/target/final, or near-limit). */
  snapshots: Record<string, string>;
  meta: ScenarioMeta;
}

export interface ScenarioMeta {
  name: string;
  key: string;
  /** Wall time of the generation (launch, actions, snapshots, gzip). */
  seconds: number;
  /** Per snapshot role: raw and gzipped bytes. */
  sizes: Record<string, { raw: number; gz: number }>;
  /** Anything the scenario wants to remember (source locations, counts). */
  facts: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------------
// a. browser: an event bus whose closures keep detached <li> elements

/**
 * test/scenarios/browser/index.html in headless Chromium: `mountItems(3000)` creates 3,000 `<li>`, each
 * with a closure `onRefresh` (index.html line 11; V8 places a function at its parameter list, column 23) registered with `bus.on` (`bus` is a top-level
 * `const` of a classic script, so it lives in the script scope, not on window); `unmountItems()` removes
 * the `<li>`s from the DOM but never takes the closures off the bus. Snapshots: `baseline` (page loaded),
 * `target` (after mounting and unmounting the 3,000 items), `final` (after a no-op: nothing is freed).
 * All three come from one DevTools-protocol session, so object ids match between them.
 */
export async function browserScenario(): Promise<Scenario> {
  const html = join(SCENARIO_SOURCES, 'browser/index.html');
  return cached('browser', [readFileSync(html), chromiumVersion()], async (dir) => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      // V8 in the renderer without optimising tiers and with fixed seeds (see DETERMINISTIC_V8): otherwise
      // how much code the JIT compiled between two snapshots differs from run to run.
      args: [...QUIET_CHROMIUM_ARGS, `--js-flags=${DETERMINISTIC_V8.join(' ')} --no-maglev`],
    });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(html).href);
      const cdp = await page.context().newCDPSession(page);
      let chunks: string[] = [];
      cdp.on('HeapProfiler.addHeapSnapshotChunk', (e: { chunk: string }) => chunks.push(e.chunk));
      await cdp.send('HeapProfiler.enable');
      const sizes: ScenarioMeta['sizes'] = {};
      const snapshots: Record<string, string> = {};
      const take = async (role: string) => {
        chunks = [];
        // takeHeapSnapshot collects garbage first, so what is left is what something holds.
        await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
        const raw = Buffer.from(chunks.join(''));
        chunks = [];
        snapshots[role] = writeGzip(dir, `browser-${role}`, raw, sizes, role);
      };
      // Runtime.evaluate over the protocol rather than page.evaluate: Playwright's evaluate injects its
      // own UtilityScript into the page, which would show up as a new object in the diff.
      const evaluate = async (expression: string) => {
        const r = (await cdp.send('Runtime.evaluate', { expression, returnByValue: true })) as {
          result: { value?: unknown };
          exceptionDetails?: { text: string };
        };
        if (r.exceptionDetails) throw new Error(`browser scenario: ${expression}: ${r.exceptionDetails.text}`);
        return r.result.value;
      };
      await evaluate('void 0'); // whatever the first evaluation creates belongs to the baseline
      await take('baseline');
      await evaluate(`mountItems(${BROWSER_ITEMS}, 1); unmountItems();`);
      await take('target');
      await evaluate('void 0');
      await take('final');
      const stillOnBus = await evaluate('bus.handlers.length');
      if (stillOnBus !== BROWSER_ITEMS) throw new Error(`browser scenario: ${stillOnBus} handlers on the bus, expected ${BROWSER_ITEMS}`);
      return { snapshots, sizes, facts: { items: BROWSER_ITEMS, onRefresh: 'index.html:11:23', url: pathToFileURL(html).href } };
    } finally {
      await browser.close();
    }
  });
}

function chromiumVersion(): string {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 }).trim();
  } catch {
    return 'unknown';
  }
}

// ---------------------------------------------------------------------------------------------------
// b. node-server: a closure-scoped Map that keeps one Session per request

/**
 * test/scenarios/node-server/server.js (CommonJS, forked with an IPC channel, `--predictable`):
 * `createServer()` keeps `const sessions = new Map()` in its closure and adds a `Session` per request,
 * never removing it. 20 warm-up requests before `baseline` (so lazily compiled code and the first
 * sockets are not "new"), 1,000 requests over 127.0.0.1 before `target`, none before `final`. The
 * server writes each snapshot itself (`v8.writeHeapSnapshot`) when the test asks over IPC.
 */
export async function nodeServerScenario(): Promise<Scenario> {
  const script = join(SCENARIO_SOURCES, 'node-server/server.js');
  return cached('node-server', [readFileSync(script), process.version], async (dir) => {
    const child = fork(script, [], { cwd: dir, env: CHILD_ENV, execArgv: DETERMINISTIC_V8, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    try {
      const port = (await nextMessage(child, 'listening')) as number;
      const sizes: ScenarioMeta['sizes'] = {};
      const snapshots: Record<string, string> = {};
      const take = async (role: string) => {
        const raw = join(dir, `node-server-${role}.heapsnapshot`);
        child.send({ snapshot: raw });
        await nextMessage(child, 'written');
        snapshots[role] = writeGzip(dir, `node-server-${role}`, readFileSync(raw), sizes, role);
        rmSync(raw);
      };
      for (let i = 0; i < SERVER_WARMUP_REQUESTS; i++) await get(port, `/warmup/${i}`);
      await take('baseline');
      for (let i = 0; i < SERVER_REQUESTS; i++) await get(port, `/item/${i}`);
      await take('target');
      await take('final');
      child.send({ exit: true });
      await exited(child, 10_000);
      return { snapshots, sizes, facts: { requests: SERVER_REQUESTS, warmup: SERVER_WARMUP_REQUESTS } };
    } catch (e) {
      throw new Error(`node-server scenario: ${(e as Error).message}\n${stderr}`);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
}

function nextMessage(child: ChildProcess, key: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: any) => {
      if (m && key in m) {
        cleanup();
        resolve(m[key]);
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`server exited (${code ?? signal}) while waiting for "${key}"`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no "${key}" from the server within 60 s`));
    }, 60_000);
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

function get(port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`GET ${path}: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

// ---------------------------------------------------------------------------------------------------
// c. node-oom: a module-level array that keeps chunks until V8 reaches its heap limit

/**
 * test/scenarios/node-oom/oom.js with `--max-old-space-size=32 --heapsnapshot-near-heap-limit=1
 * --predictable`: module-level `const keep = []` (used by the module's functions, so it lives in the module's
 * scope) gets `Chunk`s (an index and a 32-element array) in a synchronous loop until the heap is full; V8 writes `Heap.<date>.<time>.<pid>.0.001.heapsnapshot` into the working directory
 * just before the limit, and the process then dies of OOM (SIGABRT), which is expected. `--predictable`
 * makes the snapshot hold the same number of chunks every run (94,927 with Node 20.20).
 */
export async function nodeOomScenario(): Promise<Scenario> {
  const script = join(SCENARIO_SOURCES, 'node-oom/oom.js');
  return cached('node-oom', [readFileSync(script), process.version, String(OOM_HEAP_MB)], async (dir) => {
    const child = spawn(process.execPath, [...DETERMINISTIC_V8, `--max-old-space-size=${OOM_HEAP_MB}`, '--heapsnapshot-near-heap-limit=1', script], {
      cwd: dir,
      env: CHILD_ENV,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    try {
      const { code, signal } = await exited(child, 120_000);
      const written = readdirSync(dir).filter((f) => /^Heap\..*\.heapsnapshot$/.test(f));
      if (written.length !== 1)
        throw new Error(`node-oom scenario: expected one Heap.*.heapsnapshot, found ${written.length} (exit ${code ?? signal})\n${stderr}`);
      if (code === 0) throw new Error('node-oom scenario: the process did not run out of memory');
      const rawPath = join(dir, written[0]);
      const raw = readFileSync(rawPath);
      // V8 writes the file before it aborts; a truncated one would not end the JSON document.
      if (!/\]\s*}\s*$/.test(raw.subarray(-64).toString('latin1'))) throw new Error('node-oom scenario: the near-heap-limit snapshot is truncated');
      const sizes: ScenarioMeta['sizes'] = {};
      const snapshots = { 'near-limit': writeGzip(dir, 'node-oom', raw, sizes, 'near-limit') };
      rmSync(rawPath);
      return { snapshots, sizes, facts: { heapMB: OOM_HEAP_MB, exit: signal ?? code } };
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
}

function exited(child: ChildProcess, timeoutMs: number): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child ${child.pid} still running after ${timeoutMs / 1000} s (killed)`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// the cache

function writeGzip(dir: string, stem: string, raw: Buffer, sizes: ScenarioMeta['sizes'], role: string): string {
  const out = join(dir, `${stem}.heapsnapshot.gz`);
  const gz = gzipSync(raw, { level: 6 });
  writeFileSync(out, gz);
  sizes[role] = { raw: raw.length, gz: gz.length };
  return out;
}

type Generated = { snapshots: Record<string, string>; sizes: ScenarioMeta['sizes']; facts: Record<string, unknown> };

/** Per process: one promise per scenario, so concurrent tests in one file share one generation. */
const inProcess = new Map<string, Promise<Scenario>>();

function cached(name: string, inputs: (string | Buffer)[], generate: (dir: string) => Promise<Generated>): Promise<Scenario> {
  let p = inProcess.get(name);
  if (!p) {
    p = cachedAcrossProcesses(name, inputs, generate);
    inProcess.set(name, p);
  }
  return p;
}

async function cachedAcrossProcesses(name: string, inputs: (string | Buffer)[], generate: (dir: string) => Promise<Generated>): Promise<Scenario> {
  const hash = createHash('sha256').update(`v${GENERATOR_VERSION}\0${name}`);
  for (const i of inputs) hash.update('\0').update(i);
  const key = hash.digest('hex').slice(0, 12);
  mkdirSync(CACHE, { recursive: true });
  const dir = join(CACHE, `${name}-${key}`);
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const done = load(name, dir);
    if (done) return done;
    if (tryLock(lock)) break;
    if (Date.now() > deadline) throw new Error(`scenario ${name}: waited 10 min for ${lock}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  try {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp);
    const started = process.hrtime.bigint();
    const g = await generate(tmp);
    const meta: ScenarioMeta = { name, key, seconds: Number(process.hrtime.bigint() - started) / 1e9, sizes: g.sizes, facts: g.facts };
    const snapshots = Object.fromEntries(Object.entries(g.snapshots).map(([role, p]) => [role, p.slice(tmp.length + 1)]));
    writeFileSync(join(tmp, 'meta.json'), `${JSON.stringify({ ...meta, snapshots }, null, 2)}\n`);
    // Only the lock holder gets here, so `dir` is absent or an incomplete leftover of a crashed run.
    if (!load(name, dir)) {
      rmSync(dir, { recursive: true, force: true });
      renameSync(tmp, dir);
    }
    // Older versions of this scenario (another key) are stale now.
    for (const f of readdirSync(CACHE)) {
      if (f.startsWith(`${name}-`) && f !== `${name}-${key}` && !f.includes('.lock') && !f.includes('.tmp-'))
        rmSync(join(CACHE, f), { recursive: true, force: true });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(lock, { recursive: true, force: true });
  }
  const done = load(name, dir);
  if (!done) throw new Error(`scenario ${name}: ${dir} incomplete after generation`);
  return done;
}

function load(name: string, dir: string): Scenario | null {
  const metaPath = join(dir, 'meta.json');
  if (!existsSync(metaPath)) return null;
  const m = JSON.parse(readFileSync(metaPath, 'utf8')) as ScenarioMeta & { snapshots: Record<string, string> };
  const snapshots = Object.fromEntries(Object.entries(m.snapshots).map(([role, f]) => [role, join(dir, f)]));
  if (!Object.values(snapshots).every((f) => existsSync(f) && statSync(f).size > 0)) return null;
  const { snapshots: _, ...meta } = m;
  return { name, dir, snapshots, meta };
}

/** Takes the lock (an atomic mkdir), or takes it over when the process holding it is gone. */
function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(process.pid));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  let owner = 0;
  try {
    owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    // Just created by another process, pid not written yet: wait for it. A lock that stays without
    // a pid for a minute (its owner died between mkdir and write) is stale.
    try {
      if (Date.now() - statSync(lock).mtimeMs < 60_000) return false;
    } catch {
      return false;
    }
  }
  if (owner && isAlive(owner)) return false;
  // Stale: move it aside first (a rename succeeds for one process only), then remove it.
  const aside = `${lock}.stale-${process.pid}`;
  try {
    renameSync(lock, aside);
    rmSync(aside, { recursive: true, force: true });
  } catch {
    // another process took it over first
  }
  return false; // the next round of the caller's loop tries mkdir again
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
