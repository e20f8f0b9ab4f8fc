// Capture benchmark: how fast `heapdiff snap` streams a heap to disk, against V8's own
// `v8.writeHeapSnapshot` on the same heap in the same process, and heapdiff's peak RSS while it captures.
//
//   npm run bench:capture [-- --size 150|700|MB] [--runs N] [--json PATH]
//
// A target process (`node --inspect=127.0.0.1:0 --max-old-space-size=8000 --expose-gc`) builds the leaky
// world of bench/make-big-snapshot.mjs and then, on request, writes `v8.writeHeapSnapshot` (timed inside
// it). The same heap is captured by `heapdiff snap 127.0.0.1:PORT` (a fresh CLI process with the RSS
// probe), gzip (the default) and plain. Throughput is snapshot JSON bytes per wall-clock second of each
// (for heapdiff, the whole CLI run including start-up). Files go to bench/out/capture/ and are deleted.

import { fork, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url)); // dist/bench
const ROOT = resolve(HERE, '../..');
const BIN = join(ROOT, 'bin/heapdiff');
const PROBE = join(HERE, 'rss-probe.js');
const OUT = join(ROOT, 'bench/out/capture');

interface Args {
  size: number;
  runs: number;
  json: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { size: 150, runs: 1, json: join(ROOT, 'bench/out/capture.json') };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    if (argv[i] === '--size') (a.size = Number(v)), i++;
    else if (argv[i] === '--runs') (a.runs = Number(v)), i++;
    else if (argv[i] === '--json') (a.json = resolve(v)), i++;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return a;
}

// The target: builds the world, then answers 'v8' with a timed writeHeapSnapshot.
const TARGET = `
const { buildWorld, NAMED_UNITS, BYTES_PER_UNIT, BASE_BYTES } = await import(process.env.MAKE_BIG);
const size = Number(process.env.SIZE);
const units = NAMED_UNITS[size] ?? Math.max(1, Math.round((size * 1e6 - BASE_BYTES) / BYTES_PER_UNIT));
const world = buildWorld();
world.grow(units);
global.gc(); global.gc();
const v8 = await import('node:v8');
const fs = await import('node:fs');
process.on('message', (m) => {
  if (m.cmd === 'v8') {
    global.gc(); global.gc();
    const t0 = process.hrtime.bigint();
    v8.writeHeapSnapshot(m.file);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    process.send({ seconds, bytes: fs.statSync(m.file).size });
  } else if (m.cmd === 'exit') {
    process.send({ maxRssMB: process.resourceUsage().maxRSS / 1024 });
    process.disconnect();
    process.exit(0);
  }
});
process.send({ ready: true, units });
`;

interface SnapRun {
  seconds: number;
  maxRssMB: number | null;
  fileBytes: number;
}

function runSnap(port: number, file: string): Promise<SnapRun> {
  const rssFile = `${file}.rss`;
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const c = spawn(process.execPath, ['--import', PROBE, BIN, 'snap', `127.0.0.1:${port}`, '-o', file, '-q'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, HEAPDIFF_BENCH_RSS_FILE: rssFile },
    });
    c.once('exit', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) return rej(new Error(`heapdiff snap exited ${code}`));
      const maxRssMB = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : null;
      rmSync(rssFile, { force: true });
      res({ seconds, maxRssMB, fileBytes: statSync(file).size });
    });
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  mkdirSync(OUT, { recursive: true });
  const script = join(OUT, 'target.mjs');
  writeFileSync(script, TARGET);
  const target = fork(script, [], {
    execArgv: ['--inspect=127.0.0.1:0', '--max-old-space-size=8000', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    env: { ...process.env, MAKE_BIG: new URL(`file://${join(ROOT, 'bench/make-big-snapshot.mjs')}`).href, SIZE: String(args.size) },
  });
  const ask = <T>(msg: object | null): Promise<T> =>
    new Promise((res) => {
      target.once('message', (m) => res(m as T));
      if (msg) target.send(msg);
    });
  let port = 0;
  target.stderr!.on('data', (d: Buffer) => {
    const m = /Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(d.toString());
    if (m) port = Number(m[1]);
  });
  try {
    const t0 = performance.now();
    const ready = await ask<{ units: number }>(null);
    console.log(`target: ${ready.units} users built in ${((performance.now() - t0) / 1000).toFixed(1)} s (inspector port ${port})`);
    const rows: Record<string, unknown>[] = [];
    for (let run = 0; run < args.runs; run++) {
      const plainV8 = join(OUT, 'v8.heapsnapshot');
      const v8 = await ask<{ seconds: number; bytes: number }>({ cmd: 'v8', file: plainV8 });
      rmSync(plainV8, { force: true });
      const gz = await runSnap(port, join(OUT, 'snap.heapsnapshot.gz'));
      rmSync(join(OUT, 'snap.heapsnapshot.gz'), { force: true });
      const plain = await runSnap(port, join(OUT, 'snap.heapsnapshot'));
      const plainBytes = plain.fileBytes;
      rmSync(join(OUT, 'snap.heapsnapshot'), { force: true });
      const mbs = (bytes: number, s: number) => Number((bytes / 1e6 / s).toFixed(0));
      const row = {
        run: run + 1,
        snapshot_mb: Number((v8.bytes / 1e6).toFixed(1)),
        v8_write_seconds: Number(v8.seconds.toFixed(2)),
        v8_write_mb_s: mbs(v8.bytes, v8.seconds),
        snap_gzip_seconds: Number(gz.seconds.toFixed(2)),
        snap_gzip_mb_s: mbs(plainBytes, gz.seconds),
        snap_gzip_file_mb: Number((gz.fileBytes / 1e6).toFixed(1)),
        snap_gzip_peak_rss_mb: gz.maxRssMB === null ? null : Number(gz.maxRssMB.toFixed(0)),
        snap_plain_seconds: Number(plain.seconds.toFixed(2)),
        snap_plain_mb_s: mbs(plainBytes, plain.seconds),
        snap_plain_peak_rss_mb: plain.maxRssMB === null ? null : Number(plain.maxRssMB.toFixed(0)),
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    }
    const end = await ask<{ maxRssMB: number }>({ cmd: 'exit' });
    const result = { size: args.size, node: process.version, target_peak_rss_mb: Number(end.maxRssMB.toFixed(0)), rows };
    mkdirSync(dirname(args.json), { recursive: true });
    writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`target peak RSS ${result.target_peak_rss_mb} MB; results in ${args.json}`);
  } finally {
    if (target.exitCode === null) target.kill('SIGKILL');
    rmSync(script, { force: true });
  }
}

await main();
