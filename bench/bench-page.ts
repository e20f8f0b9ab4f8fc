// One bench page in Debian's headless Chromium, driven over the DevTools protocol (playwright-core): the
// harness bench/browser-pair.ts and bench/chromium-shape.ts share. `evaluate` runs an expression in the
// page; `take` writes a heap snapshot (via `.tmp`, renamed when complete) or, without a path, only counts
// its bytes.

import { createWriteStream, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM, QUIET_CHROMIUM_ARGS } from '../test/helpers/chromium.js';

export interface BenchPage {
  evaluate(expression: string): Promise<unknown>;
  /** Takes a snapshot (after a collection when `gc`); writes it to `path`, or only counts its bytes. */
  take(path?: string, options?: { gc?: boolean }): Promise<number>;
  /** The browser's version string. */
  version: string;
}

/** Opens `root/bench/<html>` and runs `body` with it; the browser is closed whatever happens. `label` names the errors. */
export async function withBenchPage<T>(root: string, html: string, label: string, extraArgs: string[], body: (page: BenchPage) => Promise<T>): Promise<T> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: ${label} needs Debian's chromium`);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...QUIET_CHROMIUM_ARGS, ...extraArgs] });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(root, 'bench', html)).href);
    const cdp = await page.context().newCDPSession(page);
    let sink: ((chunk: string) => void) | null = null;
    cdp.on('HeapProfiler.addHeapSnapshotChunk', (e: { chunk: string }) => sink?.(e.chunk));
    await cdp.send('HeapProfiler.enable');
    return await body({
      version: browser.version(),
      async evaluate(expression) {
        const r = (await cdp.send('Runtime.evaluate', { expression, returnByValue: true })) as {
          result?: { value?: unknown };
          exceptionDetails?: { text: string };
        };
        if (r.exceptionDetails) throw new Error(`${label}: ${expression}: ${r.exceptionDetails.text}`);
        return r.result?.value;
      },
      async take(path, options = {}) {
        let bytes = 0;
        const out = path ? createWriteStream(`${path}.tmp`) : null;
        sink = (chunk) => {
          bytes += Buffer.byteLength(chunk, 'utf8');
          out?.write(chunk);
        };
        if (options.gc) await cdp.send('HeapProfiler.collectGarbage');
        await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
        sink = null;
        if (out && path) {
          await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
          renameSync(`${path}.tmp`, path);
        }
        return bytes;
      },
    });
  } finally {
    await browser.close();
  }
}
