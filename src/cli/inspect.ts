// `heapdiff inspect SNAP @ID [--limit N]`
import type { Argv } from 'yargs';
import { inspectJson, inspectTable, inspectText } from '../render/inspect.js';
import { handlerOf, type Renderer } from './runner.js';
import { formatOptions, objectId, snapshotPositional, wholeNumber, type OutputArgs } from './options.js';
import type { InspectResult } from '../analyses/inspect.js';

export const command = 'inspect <snapshot> <id>';
export const describe = 'One object: type, name, class, sizes, distance, dominator, its edges (biggest retained first) and its retainers';

export function builder(y: Argv) {
  return y
    .positional('snapshot', snapshotPositional)
    .positional('id', { type: 'string', demandOption: true, describe: 'object id, @123 or 123' })
    .option('limit', { type: 'number', default: 20, describe: 'edges and retainers listed' })
    .options(formatOptions)
    .example('$0 inspect app.heapsnapshot @48211', 'what @48211 is, holds and is held by');
}

export interface InspectCliOptions {
  snapshot: string;
  id: number;
  limit: number;
}

export function options(argv: OutputArgs & { snapshot: string; id: string; limit: number }): InspectCliOptions {
  wholeNumber('--limit', argv.limit, 0);
  return { snapshot: argv.snapshot, id: objectId('inspect', argv.id), limit: argv.limit };
}

export const renderer: Renderer<InspectResult> = {
  text: (r, v) => inspectText(r, { wide: v.wide, manners: v.manners }),
  table: (r) => inspectTable(r),
  json: (r) => inspectJson(r),
};

export const handler = handlerOf(options, (o) => ({ inputs: [o.snapshot], run: ([s]) => s.inspect(o.id, { limit: o.limit }), render: renderer }));
