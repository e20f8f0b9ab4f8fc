// A one-line progress bar on stderr, drawn only while stderr is a terminal (never in pipes, logs or CI).

export type ProgressFn = (phase: string, done: number, total: number) => void;

export function progressBar(enabled: boolean): { update: ProgressFn; done: () => void } {
  if (!enabled || !process.stderr.isTTY) return { update: () => {}, done: () => {} };
  const start = Date.now();
  let last = 0;
  let drawn = false;
  let parseBytes = 0;
  const update: ProgressFn = (phase, done, total) => {
    if (phase === 'parse') parseBytes = done;
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    const secs = (now - start) / 1000;
    let line = `heapdiff: ${phase}`;
    if (total > 0) {
      const frac = Math.min(1, done / total);
      const width = 24;
      const filled = Math.round(frac * width);
      line += ` [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0)}%`;
      if (phase === 'parse')
        line += ` ${(done / 1e6).toFixed(0)}/${(total / 1e6).toFixed(0)} MB, ${(parseBytes / 1e6 / Math.max(secs, 0.001)).toFixed(0)} MB/s`;
    }
    line += ` ${secs.toFixed(1)}s`;
    const cols = process.stderr.columns || 80;
    process.stderr.write(`\r\x1b[K${line.slice(0, cols - 1)}`);
    drawn = true;
  };
  return {
    update,
    done: () => {
      if (drawn) process.stderr.write('\r\x1b[K');
    },
  };
}

/** The line `heapdiff ingest` prints on a terminal when it is done (speed in MB/s of snapshot text). */
export function ingestSummary(r: { nodeCount: number; edgeCount: number; seconds: number; textBytes: number }): string {
  return `heapdiff: ingested ${r.nodeCount} nodes, ${r.edgeCount} edges in ${r.seconds.toFixed(2)}s (${(r.textBytes / 1e6 / r.seconds).toFixed(0)} MB/s of snapshot text)\n`;
}
