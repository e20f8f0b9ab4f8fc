// Real processes for the capture tests: Node programs with planted leaks, the CLI run asynchronously
// (so a test can act while it captures), and a registry that kills whatever is still running.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from './env.js';

const running = new Set<ChildProcess>();
const groups = new Set<ChildProcess>();

/** Kills every process the capture helpers started that is still running (call in `after`). */
export function killAll(): void {
  for (const c of groups) {
    try {
      if (c.pid !== undefined) process.kill(-c.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  for (const c of running) {
    if (c.exitCode === null && c.signalCode === null) {
      try {
        c.kill('SIGKILL');
      } catch {
        // gone
      }
    }
  }
  running.clear();
}

/** Waits (up to `ms`) until the process groups started with `group` have no process left, then forgets them. */
export async function groupsGone(ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (const c of groups) {
    while (Date.now() < deadline) {
      try {
        process.kill(-c.pid!, 0);
      } catch {
        break; // ESRCH: the whole group is gone
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  groups.clear();
}

export interface Started {
  child: ChildProcess;
  pid: number;
  /** Everything the process wrote to stderr (and stdout) so far. */
  output(): string;
  /** Resolves with the first match of `re` in the output (rejects when the process exits first). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a process; its stdout and stderr are collected. */
export function start(exe: string, args: string[], options: { env?: Record<string, string>; cwd?: string; group?: boolean } = {}): Started {
  // `group`: in a process group of its own, so killAll() also ends the helper processes it starts (Chromium's).
  const child = spawn(exe, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
    cwd: options.cwd,
    detached: options.group ?? false,
  });
  running.add(child);
  if (options.group) groups.add(child);
  let text = '';
  const waiters: (() => void)[] = [];
  const onData = (d: Buffer) => {
    text += d.toString('utf8');
    for (const w of waiters.slice()) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
      for (const w of waiters.slice()) w();
    }),
  );
  const waitFor = (re: RegExp, timeoutMs = 20_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = re.exec(text);
        if (m) {
          done();
          resolve(m);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          done();
          reject(new Error(`process exited before ${re}: ${text}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${re}: ${text}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        const i = waiters.indexOf(check);
        if (i >= 0) waiters.splice(i, 1);
      };
      waiters.push(check);
      check();
    });
  return { child, pid: child.pid!, output: () => text, waitFor, exited };
}

/** Writes `source` to DIR/NAME and starts it with Node (node options first); waits for its "ready" line. */
export async function startNodeProgram(dir: string, name: string, source: string, nodeArgs: string[] = []): Promise<Started> {
  const file = join(dir, name);
  writeFileSync(file, source);
  const p = start(process.execPath, [...nodeArgs, file]);
  await p.waitFor(/^ready$/m);
  return p;
}

export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI without blocking the test; `onStart` gets the child (to signal it mid-run). */
export function runCliAsync(
  args: string[],
  options: { cacheDir: string; env?: Record<string, string>; cwd?: string; onStart?: (c: ChildProcess) => void },
): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HEAPDIFF_CACHE_DIR: options.cacheDir, ...options.env },
    cwd: options.cwd,
  });
  running.add(child);
  options.onStart?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve) =>
    child.once('close', (status, signal) => {
      running.delete(child);
      resolve({ status, signal, stdout, stderr });
    }),
  );
}

/** A planted leak: `count` instances of class `name` kept in a global array, plus churn. */
export function leakyProgram(name: string, count: number, extra = ''): string {
  return `
class ${name} { constructor(i) { this.i = i; this.label = 'leak-' + i; } }
globalThis.kept = [];
for (let i = 0; i < ${count}; i++) globalThis.kept.push(new ${name}(i));
${extra}
setInterval(() => {}, 1000);
console.log('ready');
`;
}

const mounts: string[] = [];

/**
 * A 1 MB tmpfs at `dir` (a full disk for the capture tests), or null when it cannot be mounted (not root).
 * `unmountAll()` in `after` removes it.
 */
export function tinyDisk(dir: string): string | null {
  mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return null;
  }
  mounts.push(dir);
  return dir;
}

/** Unmounts every `tinyDisk` (lazily when still busy: freed when unused). */
export function unmountAll(): void {
  for (const m of mounts.splice(0)) {
    try {
      execFileSync('umount', [m], { stdio: 'ignore' });
    } catch {
      try {
        execFileSync('umount', ['-l', m], { stdio: 'ignore' });
      } catch {
        // not mounted
      }
    }
  }
}
