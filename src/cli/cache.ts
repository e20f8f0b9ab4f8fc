// `heapdiff cache list | prune | clear | add SNAP…` — the ingest cache (src/store/cache.ts,
// src/store/cache-maintenance.ts).
import type { Argv } from 'yargs';
import { InputError } from '../errors.js';
import { checkFormat, renderTableAs, writeOut } from '../render/output.js';
import { progressBar } from '../render/progress.js';
import { renderJson, type Table } from '../render/table.js';
import { formatOptions, type OutputArgs } from './options.js';

export const command = 'cache <action> [snapshots..]';
export const describe = 'The ingest cache ($HEAPDIFF_CACHE_DIR): list its entries, prune (superseded, over $HEAPDIFF_CACHE_MAX), clear, or add snapshots';

const ACTIONS = ['list', 'prune', 'clear', 'add'] as const;

export function builder(y: Argv) {
  return y
    .positional('action', { choices: ACTIONS as unknown as string[], describe: 'list | prune | clear | add' })
    .positional('snapshots', { type: 'string', array: true, describe: 'add: snapshots to ingest into the cache (nothing to do for those already there)' })
    .options(formatOptions)
    .example('$0 cache list', 'entries, most recently used first')
    .example('HEAPDIFF_CACHE_MAX=5G $0 cache prune', 'remove superseded entries, then the least recently used over 5 GiB')
    .example('$0 cache add before.heapsnapshot after.heapsnapshot', 'ingest ahead of time');
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

export async function handler(argv: OutputArgs & { action: string; snapshots?: string[] }) {
  const format = checkFormat(argv.format);
  const { cacheDir } = await import('../store/cache.js');
  const maintenance = await import('../store/cache-maintenance.js');
  const snapshots = (argv.snapshots ?? []).map(String);
  if (argv.action !== 'add' && snapshots.length > 0) throw new InputError(`cache ${argv.action}: takes no snapshot arguments`);
  switch (argv.action) {
    case 'list': {
      const entries = maintenance.listCache(true);
      const max = maintenance.cacheMaxBytes();
      const total = entries.reduce((s, e) => s + e.bytes, 0);
      const table: Table = {
        title: [`Cache ${cacheDir()}: ${entries.length} entries, ${total} bytes (cap ${Number.isFinite(max) ? `${max} bytes` : 'none'})`],
        columns: [
          { key: 'bytes', title: 'Size', type: 'bytes', width: 10 },
          { key: 'last_used', title: 'Last used', type: 'text' },
          { key: 'state', title: 'State', type: 'text' },
          { key: 'source', title: 'Snapshot', type: 'kind' },
          { key: 'entry', title: 'Entry', type: 'text', maxWidth: 0 },
        ],
        rows: entries.map((e) => ({
          bytes: e.bytes,
          last_used: iso(e.lastUsedMs),
          state: e.busy ? 'ingesting' : e.superseded ? 'superseded' : 'current',
          source: e.source,
          entry: e.name,
        })),
      };
      const json = {
        version: 1,
        cache_dir: cacheDir(),
        max_bytes: Number.isFinite(max) ? max : null,
        total_bytes: total,
        entries: entries.map((e) => ({ path: e.path, bytes: e.bytes, last_used: iso(e.lastUsedMs), source: e.source, busy: e.busy, superseded: e.superseded })),
      };
      writeOut(renderTableAs(format, table, { wide: argv.wide, json }));
      return json;
    }
    case 'prune':
    case 'clear': {
      const r = argv.action === 'prune' ? maintenance.pruneCache() : maintenance.clearCache();
      const freed = r.removed.reduce((s, e) => s + e.bytes, 0);
      const json = { version: 1, cache_dir: cacheDir(), removed: r.removed, removed_bytes: freed, leftovers_removed: r.leftovers, kept_bytes: r.keptBytes };
      const table: Table = {
        title: [`Removed ${r.removed.length} entries (${freed} bytes) and ${r.leftovers.length} leftover files from ${cacheDir()}; ${r.keptBytes} bytes kept`],
        columns: [
          { key: 'bytes', title: 'Size', type: 'bytes', width: 10 },
          { key: 'why', title: 'Why', type: 'text' },
          { key: 'entry', title: 'Entry', type: 'kind' },
        ],
        rows: r.removed.map((e) => ({ bytes: e.bytes, why: e.why, entry: e.name })),
      };
      writeOut(renderTableAs(format, table, { wide: argv.wide, json }));
      return json;
    }
    default: {
      if (snapshots.length === 0) throw new InputError('cache add: give one or more snapshots');
      const { openCached, isSqliteFile } = await import('../store/open.js');
      const { statSnapshotFile } = await import('../parse/read-snapshot.js');
      const bar = progressBar(!argv.quiet);
      const added: { snapshot: string; entry: string }[] = [];
      for (const s of snapshots) {
        statSnapshotFile(s);
        if (isSqliteFile(s)) throw new InputError(`${s}: is a database already; cache add takes snapshots`);
        const store = await openCached(s, { onProgress: bar.update }).finally(bar.done);
        store.db.close();
        added.push({ snapshot: s, entry: store.dbPath });
      }
      if (format === 'json') writeOut(renderJson({ version: 1, added }));
      else writeOut(added.map((a) => `${a.entry}\n`).join(''));
      return added;
    }
  }
}
