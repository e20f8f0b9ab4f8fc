// `import { mark } from 'heapdiff/mark'`: lets a program name the moments `heapdiff record` should
// snapshot. Under `heapdiff record` (which sets HEAPDIFF_RECORD to `127.0.0.1:PORT/TOKEN`), `await
// mark('after-load')` asks the recorder for a snapshot labelled `after-load` and resolves once it is on
// disk, with its path; anywhere else it does nothing and resolves with null at once. It never throws:
// a recorder that has gone away only makes it a no-op. Dependency-free, and nothing is loaded unless
// the program runs under `record`.

/** Asks `heapdiff record` for a snapshot labelled `label`; resolves with the snapshot's path, or null when not recording. */
export function mark(label: string): Promise<string | null> {
  return markRequest(label, false);
}

/** @internal The request `mark` sends; `signal` marks the snapshot as one the recording signal caused. */
export async function markRequest(label: string, signal: boolean): Promise<string | null> {
  const spec = process.env.HEAPDIFF_RECORD;
  const m = spec ? /^(127\.\d+\.\d+\.\d+):(\d+)\/([0-9a-f]+)$/.exec(spec) : null;
  if (!m) return null;
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(Number(m[2]), m[1]);
    let answer = '';
    const done = (value: string | null) => {
      socket.destroy();
      resolve(value);
    };
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify({ token: m[3], pid: process.pid, label: String(label), signal })}\n`));
    socket.on('data', (d: string) => {
      answer += d;
    });
    socket.on('end', () => {
      try {
        const r = JSON.parse(answer) as { ok?: boolean; file?: string };
        done(r.ok && typeof r.file === 'string' ? r.file : null);
      } catch {
        done(null);
      }
    });
    socket.on('error', () => done(null));
  });
}
