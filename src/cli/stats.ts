// `heapdiff stats SNAP`
import type { Argv } from 'yargs';
import { statsJson, statsTable } from '../render/stats.js';
import { handlerOf, type Renderer } from './runner.js';
import { formatOptions, snapshotPositional, type OutputArgs } from './options.js';
import type { StatsResult } from '../analyses/stats.js';

export const command = 'stats <snapshot>';
export const describe = "DevTools' Statistics breakdown (code, strings, arrays, typed arrays, system, native) plus node/edge counts";

export function builder(y: Argv) {
  return y
    .positional('snapshot', snapshotPositional)
    .options(formatOptions)
    .example('$0 stats app.heapsnapshot', 'the Statistics pie as a table')
    .example('$0 stats app.heapsnapshot --format json', "including DevTools' getStatistics() shape");
}

export interface StatsOptions {
  snapshot: string;
}

export function options(argv: OutputArgs & { snapshot: string }): StatsOptions {
  return { snapshot: argv.snapshot };
}

export const renderer: Renderer<StatsResult> = {
  table: (r, v) => statsTable(r, v.format === 'text', v.manners),
  json: (r) => statsJson(r),
};

export const handler = handlerOf(options, (o) => ({ inputs: [o.snapshot], run: ([s]) => s.stats(), render: renderer }));
