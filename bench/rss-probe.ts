// Preloaded into CLI runs by bench/measure.ts (`node --import dist/bench/rss-probe.js bin/heapdiff …`):
// on exit, writes this process's peak RSS (process.resourceUsage().maxRSS, KiB) to $HEAPDIFF_BENCH_RSS_FILE.
// Node cannot report a child's rusage, so the child reports its own. Worker threads share the process RSS.
import { writeFileSync } from 'node:fs';

const out = process.env.HEAPDIFF_BENCH_RSS_FILE;
if (out) {
  process.on('exit', () => {
    try {
      writeFileSync(out, String(process.resourceUsage().maxRSS));
    } catch {
      // best effort: the bench reports "?" when the file is missing
    }
  });
}
