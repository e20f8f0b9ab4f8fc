// A small DevTools-protocol client over one WebSocket (the `ws` package: Node 20 has no stable global
// WebSocket). Commands are JSON messages with an id answered by a message with the same id; events
// have a method and no id. Events can be read by a handler that returns `false` to ask for backpressure:
// the socket is paused until the handler's `resume` is called, so a slow disk slows the sender (the
// target's inspector buffers what it has produced) instead of queueing chunks in this process.

import WebSocket from 'ws';
import { InputError } from '../errors.js';

export type EventHandler = (params: any) => void;

interface Pending {
  method: string;
  resolve: (result: any) => void;
  reject: (e: Error) => void;
}

export class CdpClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, EventHandler>();
  private closedError: Error | null = null;
  private readonly closeListeners: ((e: Error) => void)[] = [];

  private constructor(
    private readonly ws: WebSocket,
    /** What the user named, for messages. */
    readonly label: string,
  ) {
    ws.on('message', (data) => this.onMessage(data.toString()));
    ws.on('close', () => this.onClosed(new InputError(`${label}: the target closed the connection (did the process exit?)`)));
    ws.on('error', (e) => this.onClosed(new InputError(`${label}: connection failed (${e.message})`)));
  }

  /** Connects to a `ws://` debugger URL; fails with one InputError line after `timeoutMs`. */
  static connect(url: string, label: string, timeoutMs = 10_000): Promise<CdpClient> {
    return new Promise((resolve, reject) => {
      // maxPayload: a snapshot chunk is ~100 KB, but Runtime results may be bigger; 256 MB is ws' default-ish bound.
      const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024, handshakeTimeout: timeoutMs });
      const fail = (e: Error) => {
        ws.removeAllListeners();
        ws.on('error', () => {});
        ws.terminate();
        reject(new InputError(`${label}: cannot connect to ${url} (${e.message})`));
      };
      ws.once('error', fail);
      ws.once('unexpected-response', (_req, res) => fail(new Error(`HTTP ${res.statusCode}`)));
      ws.once('open', () => {
        ws.removeListener('error', fail);
        resolve(new CdpClient(ws, label));
      });
    });
  }

  /** Sends a command and resolves with its result; rejects with the protocol's error or a closed connection. */
  send<T = any>(method: string, params: object = {}): Promise<T> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
      this.ws.send(JSON.stringify({ id, method, params }), (e) => {
        if (e) this.onClosed(new InputError(`${this.label}: connection lost (${e.message})`));
      });
    });
  }

  /** Sets the one handler of an event (replacing any earlier one); `null` removes it. */
  on(method: string, handler: EventHandler | null): void {
    if (handler) this.handlers.set(method, handler);
    else this.handlers.delete(method);
  }

  /** Stops reading from the socket (backpressure) until `resume`. */
  pause(): void {
    this.ws.pause();
  }

  resume(): void {
    this.ws.resume();
  }

  /** Called once when the connection ends for any reason (with the error that pending commands got). */
  onClose(listener: (e: Error) => void): () => void {
    if (this.closedError) {
      listener(this.closedError);
      return () => {};
    }
    this.closeListeners.push(listener);
    return () => {
      const i = this.closeListeners.indexOf(listener);
      if (i >= 0) this.closeListeners.splice(i, 1);
    };
  }

  get isClosed(): boolean {
    return this.closedError !== null;
  }

  /** Closes the connection and waits until the socket is gone (the target sees the disconnect). */
  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, 2000);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.onClosed(new InputError(`${this.label}: connection closed`));
      this.ws.resume();
      this.ws.close();
    });
  }

  private onMessage(text: string): void {
    let msg: { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message?: string; code?: number } };
    try {
      msg = JSON.parse(text);
    } catch {
      this.onClosed(new InputError(`${this.label}: the target sent a message that is not JSON`));
      this.ws.terminate();
      return;
    }
    if (typeof msg.id === 'number') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new InputError(`${this.label}: ${p.method} failed: ${msg.error.message ?? 'unknown error'}`));
      else p.resolve(msg.result ?? {});
      return;
    }
    if (typeof msg.method === 'string') this.handlers.get(msg.method)?.(msg.params ?? {});
  }

  private onClosed(e: Error): void {
    if (this.closedError) return;
    this.closedError = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    for (const l of this.closeListeners.splice(0)) l(e);
  }
}
