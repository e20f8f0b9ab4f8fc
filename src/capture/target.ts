// Resolves what `heapdiff snap TARGET` was given to one DevTools-protocol WebSocket URL:
//
// - a process id: a Node process opens its inspector on SIGUSR1 (127.0.0.1:9229 unless it was started
//   with `--inspect-port`). Before signalling, /proc tells whether the process handles SIGUSR1 at all —
//   for any other program SIGUSR1's default action is to terminate it. After signalling, the process'
//   own listening loopback sockets (from /proc) are asked for `/json/list`, so a busy port 9229 held by
//   another process is never mistaken for the target; without /proc, 9229 is polled.
// - `host:port` or `http://host:port`: an inspector's or a Chrome DevTools endpoint's `/json/list`,
//   choosing a Node target, or a page (by `--page URL-SUBSTRING` when there are several).
// - `ws://…`: used as is.
//
// Hosts must be loopback unless `allowRemote`: the inspector runs arbitrary code in the target, and its
// traffic (the whole heap) is unencrypted.

import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { isIP } from 'node:net';
import { InputError } from '../errors.js';

export interface ResolvedTarget {
  /** The debugger WebSocket URL. */
  url: string;
  /** A short description for messages and default file names (`pid 1234`, `127.0.0.1:9229`, the page URL). */
  description: string;
  /** A file-name-safe stem for the default output name. */
  stem: string;
}

export interface ResolveOptions {
  /** Substring of the page URL or title (Chrome endpoints with several pages). */
  page?: string;
  allowRemote?: boolean;
  /** How long to wait for a signalled process to open its inspector. */
  timeoutMs?: number;
}

interface ListEntry {
  type?: string;
  url?: string;
  title?: string;
  webSocketDebuggerUrl?: string;
}

export async function resolveTarget(target: string, options: ResolveOptions = {}): Promise<ResolvedTarget> {
  const text = String(target).trim();
  if (/^\d+$/.test(text)) return resolvePid(Number(text), options);
  if (/^wss?:\/\//i.test(text)) {
    const u = parseUrl(text);
    checkHost(u.hostname, text, options);
    return { url: text, description: text, stem: stemOf(`${u.hostname}-${u.port}`) };
  }
  if (/^https:\/\//i.test(text)) throw new InputError(`${text}: DevTools endpoints speak plain HTTP on loopback; give http://host:port`);
  const base = /^http:\/\//i.test(text) ? text : `http://${text}`;
  const u = parseUrl(base, text);
  if (!u.port && !/^http:\/\//i.test(text)) throw new InputError(`${text}: expected a process id, host:port, ws://… or http://host:port`);
  checkHost(u.hostname, text, options);
  const entries = await fetchList(`${u.protocol}//${u.host}`, text);
  return pickEntry(entries, text, options.page, `${u.hostname}-${u.port}`);
}

function parseUrl(s: string, shown = s): URL {
  try {
    return new URL(s);
  } catch {
    throw new InputError(`${shown}: expected a process id, host:port, ws://… or http://host:port`);
  }
}

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}

function checkHost(host: string, shown: string, options: ResolveOptions): void {
  if (!options.allowRemote && !isLoopbackHost(host)) {
    throw new InputError(
      `${shown}: ${host} is not a loopback address; the inspector protocol runs code in the target and sends its heap unencrypted (use --allow-remote if you mean it)`,
    );
  }
}

async function fetchList(base: string, shown: string, timeoutMs = 3000): Promise<ListEntry[]> {
  let res: { status: number; body: string };
  try {
    res = await httpGet(`${base}/json/list`, timeoutMs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ETIMEDOUT' ? 'no answer' : (code ?? (e as Error).message);
    throw new InputError(`${shown}: no DevTools endpoint answers there (${why})`);
  }
  if (res.status !== 200) throw new InputError(`${shown}: not a DevTools endpoint (/json/list answered HTTP ${res.status})`);
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    throw new InputError(`${shown}: not a DevTools endpoint (/json/list is not JSON)`);
  }
  if (!Array.isArray(body)) throw new InputError(`${shown}: not a DevTools endpoint (/json/list is not a list)`);
  return body as ListEntry[];
}

/** A plain HTTP GET (node:http rather than fetch, which refuses some ports and hides error codes). */
function httpGet(url: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'GET', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
        if (body.length > 16 << 20) req.destroy(Object.assign(new Error('answer too long'), { code: 'EMSGSIZE' }));
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end();
  });
}

function pickEntry(entries: ListEntry[], shown: string, page: string | undefined, stem: string): ResolvedTarget {
  const usable = entries.filter((e) => typeof e.webSocketDebuggerUrl === 'string' && (e.type === 'node' || e.type === 'page'));
  let candidates = usable;
  if (page !== undefined) {
    candidates = usable.filter((e) => (e.url ?? '').includes(page) || (e.title ?? '').includes(page));
    if (candidates.length === 0) {
      throw new InputError(
        `${shown}: no page matches --page ${JSON.stringify(page)} (pages: ${usable.map((e) => JSON.stringify(e.url)).join(', ') || 'none'})`,
      );
    }
  } else if (candidates.some((e) => e.type === 'node')) {
    candidates = candidates.filter((e) => e.type === 'node');
  }
  if (candidates.length === 0) throw new InputError(`${shown}: the endpoint lists no Node target or page to snapshot`);
  if (candidates.length > 1) {
    throw new InputError(
      `${shown}: ${candidates.length} targets; choose one with --page URL-SUBSTRING (${candidates.map((e) => JSON.stringify(e.url)).join(', ')})`,
    );
  }
  const e = candidates[0];
  return { url: e.webSocketDebuggerUrl!, description: e.type === 'page' ? `${shown} page ${e.url}` : shown, stem: stemOf(stem) };
}

function stemOf(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60);
}

// ---- process ids ------------------------------------------------------------------------------

const SIGUSR1_BIT = 10n - 1n; // /proc/PID/status masks: bit (signal number - 1)

async function resolvePid(pid: number, options: ResolveOptions): Promise<ResolvedTarget> {
  const shown = `process ${pid}`;
  if (pid <= 1 || pid === process.pid) throw new InputError(`${shown}: not a process heapdiff can snapshot`);
  try {
    process.kill(pid, 0);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === 'EPERM' ? `${shown}: not permitted to signal it (another user's process)` : `${shown}: no such process`);
  }
  const proc = `/proc/${pid}`;
  const hasProc = existsSync(`${proc}/status`);
  if (hasProc) {
    const name = processName(pid);
    const caught = sigCaught(pid);
    if (caught !== null && ((caught >> SIGUSR1_BIT) & 1n) === 0n) {
      throw new InputError(
        `${shown} (${name}) does not handle SIGUSR1: not a Node.js process, or one started with --disable-sigusr1 (SIGUSR1 would terminate it, so it was not sent)`,
      );
    }
  }
  // Already listening (an earlier snap, or --inspect): no signal needed.
  const before = hasProc ? await probeSockets(pid) : null;
  if (before) return before;
  try {
    process.kill(pid, 'SIGUSR1');
  } catch (e) {
    throw new InputError(`${shown}: cannot send SIGUSR1 (${(e as Error).message})`);
  }
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(pid, 0);
    } catch {
      throw new InputError(`${shown}: the process exited after SIGUSR1 (was it a Node.js process?)`);
    }
    const found = hasProc ? await probeSockets(pid) : await probePort(pid, 9229);
    if (found) return found;
    if (Date.now() > deadline) {
      throw new InputError(
        `${shown}: no inspector opened within ${((options.timeoutMs ?? 5000) / 1000).toFixed(0)} s of SIGUSR1 (port 9229 busy? see the process' stderr; start it with --inspect-port=0 to pick a free port)`,
      );
    }
  }
}

function processName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() || '?';
  } catch {
    return '?';
  }
}

/** The caught-signals mask (SigCgt) of a process, or null when unreadable. */
function sigCaught(pid: number): bigint | null {
  try {
    const m = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? BigInt(`0x${m[1]}`) : null;
  } catch {
    return null;
  }
}

/** Ports the process listens on at a loopback address (IPv4 and IPv6), from /proc. */
export function loopbackListeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]);
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    return [];
  }
  const ports: number[] = [];
  for (const table of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A' || !inodes.has(f[9])) continue; // 0A: LISTEN
      const [addr, port] = f[1].split(':');
      const loopback = table === 'tcp' ? addr.endsWith('7F') : addr === '00000000000000000000000001000000';
      if (loopback) ports.push(parseInt(port, 16));
    }
  }
  return ports;
}

async function probeSockets(pid: number): Promise<ResolvedTarget | null> {
  for (const port of loopbackListeningPorts(pid)) {
    const found = await probePort(pid, port);
    if (found) return found;
  }
  return null;
}

async function probePort(pid: number, port: number): Promise<ResolvedTarget | null> {
  let entries: ListEntry[];
  try {
    entries = await fetchList(`http://127.0.0.1:${port}`, `port ${port}`, 1000);
  } catch {
    return null;
  }
  const node = entries.find((e) => e.type === 'node' && typeof e.webSocketDebuggerUrl === 'string');
  return node ? { url: node.webSocketDebuggerUrl!, description: `process ${pid}`, stem: `pid${pid}` } : null;
}
