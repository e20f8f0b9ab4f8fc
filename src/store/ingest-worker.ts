// Worker-thread entry of `ingestSnapshot` (ingest.ts): runs the ingest off the main thread, which stays
// free to react to signals. Progress is sent at most every 50 ms (and on every phase change).
import { parentPort, workerData } from 'node:worker_threads';
import { ingestInThisThread, type IngestFiles } from './ingest.js';

const port = parentPort!;
let lastPhase = '';
let lastAt = 0;
try {
  const result = await ingestInThisThread(workerData as IngestFiles, (phase, done, total) => {
    const now = Date.now();
    if (phase === lastPhase && now - lastAt < 50) return;
    lastPhase = phase;
    lastAt = now;
    port.postMessage({ progress: [phase, done, total] });
  });
  port.postMessage({ result });
} catch (e) {
  const err = e as Error & { code?: string };
  port.postMessage({ error: { name: err?.name ?? 'Error', message: err?.message ?? String(e), code: err?.code, stack: err?.stack } });
}
