// `heapdiff A B` / `heapdiff diff A B`: DevTools' Comparison view plus leak suspects (src/analyses/diff.ts).
//
// Text output: a heading line, the heapy-aligned table (10 rows, then a "more rows" line), then the
// leak suspects. The report text is assembled here from the shared renderers (src/render: heapy
// tables, `safeText` for every heap string); `suspectLines` is shared with `leaks` and `suspects`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Argv } from 'yargs';
import type { DiffResult, DiffRow } from '../analyses/diff.js';
import { pathLine, type PathHop } from '../analyses/paths.js';
import type { PathGroupResult } from '../analyses/suspects-tree.js';
import { InputError } from '../errors.js';
import { safeText } from '../render/escape.js';
import { renderHeapyTable } from '../render/heapy.js';
import { formatOptions } from '../render/output.js';
import type { Table } from '../render/table.js';
import type { OpenedStore } from '../store/open.js';

// `[a] [b]` rather than `<a> <b>`: bare `heapdiff` (the default command without arguments) gets a
// helpful line instead of yargs' "Not enough non-option arguments".
export const command = ['diff [a] [b]', '$0 [a] [b]'];
export const describe = 'Compare two snapshots (DevTools Comparison: new/deleted per class) and name the leak suspects';

export function builder(y: Argv) {
  return y
    .positional('a', { type: 'string', describe: 'the earlier snapshot (file or .db)' })
    .positional('b', { type: 'string', describe: 'the later snapshot of the same process (file or .db)' })
    .option('by', { choices: ['class', 'type', 'size', 'distance', 'detachedness'], default: 'class', describe: 'group the new and deleted objects by' })
    .option('top', { type: 'number', default: 10, describe: 'rows shown (biggest size change first)' })
    .option('all', { type: 'boolean', default: false, describe: 'show every row' })
    .option('suspects', { type: 'number', default: 5, describe: 'leak suspects shown at most (0: none)' })
    .option('paths', { type: 'number', default: 3, describe: 'path patterns shown per suspect' })
    .option('instances', { type: 'number', default: 1000, describe: 'per suspect, trace the paths of this many biggest new instances' })
    .option('max-depth', { type: 'number', default: 100, describe: 'cut retainer paths after this many hops' })
    .option('min-retained', { type: 'string', default: '1%', describe: 'a suspect class retains at least SIZE (bytes, 64KB, or % of B)' })
    .option('fail-on-growth', { type: 'string', describe: "exit 3 when B's total size grew by more than SIZE (bytes, 10MB, 5MiB, or 5% of A)" })
    .option('assume-same-process', { type: 'boolean', default: false, describe: 'trust the object ids without checking that both snapshots come from one process' })
    .options(formatOptions)
    .example('$0 before.heapsnapshot after.heapsnapshot', 'what grew, and what keeps the new objects alive')
    .example('$0 diff a.db b.db --by type --all', 'every node type, from ingested stores')
    .example('$0 base.heapsnapshot.gz ci.heapsnapshot.gz --fail-on-growth 5% -q', 'CI: exit 3 when the heap grew by more than 5 %');
}

interface Args {
  a?: string;
  b?: string;
  by: string;
  top: number;
  all: boolean;
  suspects: number;
  paths: number;
  instances: number;
  'max-depth': number;
  'min-retained': string;
  'fail-on-growth'?: string;
  'assume-same-process': boolean;
  format: string;
  wide: boolean;
  quiet: boolean;
}

/** Checks a whole-number option (>= min). */
export function wholeNumber(name: string, v: number | undefined, min: number): void {
  if (v !== undefined && (!Number.isInteger(v) || v < min)) throw new InputError(`${name}: expected a whole number >= ${min} (got ${v})`);
}

export async function handler(argv: Args): Promise<DiffResult> {
  const { ExitError, EXIT_GROWTH } = await import('../errors.js');
  const { checkFormat, writeOut, renderTableAs } = await import('../render/output.js');
  const format = checkFormat(argv.format);
  if (argv.a === undefined || argv.b === undefined) {
    throw new InputError(argv.a === undefined ? 'give a command, or two snapshots to compare (heapdiff A B); see heapdiff --help' : 'give two snapshots to compare (heapdiff A B)');
  }
  wholeNumber('--top', argv.top, 1);
  wholeNumber('--suspects', argv.suspects, 0);
  wholeNumber('--paths', argv.paths, 1);
  wholeNumber('--instances', argv.instances, 1);
  wholeNumber('--max-depth', argv['max-depth'], 1);
  const { diffStores, parseGrowthLimit } = await import('../analyses/diff.js');
  const { renderJson } = await import('../render/table.js');
  // Option values are checked before any snapshot is ingested.
  if (argv['fail-on-growth'] !== undefined) parseGrowthLimit(argv['fail-on-growth'], 0);
  parseSizeOrShare('--min-retained', argv['min-retained'], 0, parseGrowthLimit);
  const [a, b] = await openStores([argv.a, argv.b!], argv.quiet);
  try {
    const totalA = Number(a.meta.total_size ?? 0);
    const totalB = Number(b.meta.total_size ?? 0);
    const limit = argv['fail-on-growth'] !== undefined ? parseGrowthLimit(argv['fail-on-growth'], totalA) : undefined;
    const minRetained = parseSizeOrShare('--min-retained', argv['min-retained'], totalB, parseGrowthLimit);
    const result = await diffStores(a, b, {
      by: argv.by as never,
      suspects: argv.suspects,
      paths: argv.paths,
      pathSample: argv.instances,
      maxDepth: argv['max-depth'],
      minRetained,
      assumeSameProcess: argv['assume-same-process'],
    });
    const shown = argv.all ? result.rows.length : argv.top;
    if (format === 'json') writeOut(renderJson(result));
    else if (format === 'text') writeOut(diffText(result, shown, { wide: argv.wide }));
    else writeOut(renderTableAs(format, diffTable(result, result.rows.length), { wide: argv.wide }));
    if (limit !== undefined && result.totals.total_delta > limit) {
      throw new ExitError(
        EXIT_GROWTH,
        `heap grew by ${fmt(result.totals.total_delta)} bytes (${fmt(totalA)} → ${fmt(totalB)}), more than --fail-on-growth ${argv['fail-on-growth']} (${fmt(Math.round(limit))} bytes)`,
      );
    }
    return result;
  } finally {
    a.db.close();
    b.db.close();
  }
}

const BIN = fileURLToPath(new URL('../../../bin/heapdiff', import.meta.url));

/**
 * Opens several snapshot/.db arguments. Snapshots not yet in the cache are ingested at the same time:
 * the first here (with the progress bar), the others one after another by a `heapdiff ingest` child
 * process (an ingest keeps about one core busy between its parallel phases, so two overlap well). A
 * child that fails changes nothing: the argument is then opened here, which reports the error.
 */
export async function openStores(paths: readonly string[], quiet: boolean): Promise<OpenedStore[]> {
  const { openStore, isSqliteFile } = await import('../store/open.js');
  const { cachePathFor } = await import('../store/cache.js');
  const { progressBar } = await import('../render/progress.js');
  const cacheTarget = (p: string): string | null => {
    try {
      return isSqliteFile(p) ? null : existsSync(cachePathFor(p)) ? null : cachePathFor(p);
    } catch {
      return null; // a missing or unreadable file: openStore says why
    }
  };
  const pending = [...new Set(paths)].map((p) => ({ p, target: cacheTarget(p) })).filter((x) => x.target !== null);
  const inBackground = new Set(pending.slice(1).map((x) => x.p));
  const children = new Set<ReturnType<typeof spawn>>();
  const background = (async () => {
    for (const { p, target } of pending.slice(1)) {
      await new Promise<void>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'ingest', p, '--db', target!, '--force', '--quiet'], { stdio: 'ignore' });
        children.add(child);
        child.once('error', () => resolve());
        child.once('exit', () => {
          children.delete(child);
          resolve();
        });
      });
    }
  })();
  const bar = progressBar(!quiet);
  const opened: OpenedStore[] = [];
  try {
    for (const p of paths) {
      if (inBackground.has(p)) await background;
      opened.push(await openStore(p, { onProgress: bar.update }).finally(bar.done));
    }
    return opened;
  } catch (e) {
    for (const child of children) if (child.pid !== undefined) process.kill(child.pid);
    for (const s of opened) s.db.close();
    throw e;
  }
}

export function parseSizeOrShare(name: string, text: string, base: number, parse: (t: string, base: number) => number): number {
  try {
    return parse(text, base);
  } catch {
    throw new InputError(`${name}: expected bytes (65536), a size (64KB, 1MiB) or a percentage (1%) (got ${JSON.stringify(text)})`);
  }
}

// ───────────────────────────── rendering ─────────────────────────────

/** An integer with thousands separators (prose lines; tables print plain integers as heapy does). */
export function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A signed integer with thousands separators: `+1,234`, `-56`, `0`. */
export function fmtSigned(n: number): string {
  return n > 0 ? `+${fmt(n)}` : fmt(n);
}

export function percent(x: number): string {
  return x >= 10 ? x.toFixed(0) : x >= 0.1 ? x.toFixed(1) : x.toFixed(2);
}

const BY_TITLES: Record<string, string> = { class: 'Kind (class)', type: 'Kind (type)', size: 'Kind (individual size)', distance: 'Kind (distance)', detachedness: 'Kind (detachedness)' };

function baseName(p: string): string {
  return p.split(/[/\\]/).pop() || p;
}

/** The comparison as a table model (text, CSV, Markdown). */
export function diffTable(r: DiffResult, shown: number): Table {
  const rows = r.rows.slice(0, shown).map((row: DiffRow, index) => ({ index, ...row }));
  const kind = { key: 'kind', title: BY_TITLES[r.by] ?? 'Kind', type: 'kind' as const };
  const columns = r.same_process
    ? [
        { key: 'index', title: 'Index', type: 'index' as const, width: 6 },
        { key: 'new', title: 'New', type: 'count' as const, width: 7 },
        { key: 'deleted', title: 'Deleted', type: 'count' as const, width: 7 },
        { key: 'delta', title: 'Delta', type: 'delta' as const, width: 7 },
        { key: 'alloc_size', title: 'Alloc Size', type: 'bytes' as const, width: 10 },
        { key: 'freed_size', title: 'Freed Size', type: 'bytes' as const, width: 10 },
        { key: 'size_delta', title: 'Size Delta', type: 'bytes-delta' as const, width: 10 },
        kind,
      ]
    : [
        { key: 'index', title: 'Index', type: 'index' as const, width: 6 },
        { key: 'count_a', title: 'Count A', type: 'count' as const, width: 7 },
        { key: 'count_b', title: 'Count B', type: 'count' as const, width: 7 },
        { key: 'delta', title: 'Delta', type: 'delta' as const, width: 7 },
        { key: 'size_a', title: 'Size A', type: 'bytes' as const, width: 10 },
        { key: 'size_b', title: 'Size B', type: 'bytes' as const, width: 10 },
        { key: 'size_delta', title: 'Size Delta', type: 'bytes-delta' as const, width: 10 },
        kind,
      ];
  return { columns, rows, moreRows: r.rows.length - rows.length, moreHint: 'Use --top N or --all to see them.' };
}

export function diffHeading(r: DiffResult): string {
  const names = `${baseName(r.a.source)} → ${baseName(r.b.source)}`;
  const t = r.totals;
  const total = `total ${fmt(t.total_a)} → ${fmt(t.total_b)} bytes (${fmtSigned(t.total_delta)})`;
  if (!r.same_process) return `Diff of ${names}: ${fmtSigned(t.delta)} objects (${fmtSigned(t.size_delta)} bytes), class level only; ${total}`;
  return `Diff of ${names}: ${fmt(t.new ?? 0)} objects (+${fmt(t.alloc_size ?? 0)} bytes) new, ${fmt(t.deleted ?? 0)} deleted (-${fmt(t.freed_size ?? 0)} bytes); ${total}`;
}

const GLOBAL_OBJECT = /^(?:Window|global)(?:$|[\s/])|\[JSGlobalObject\]/;

/**
 * The part of a path shown in text output: from the last global object on it (`global`, `Window …`)
 * when there is one — the hops above it (GC roots, handles, the native context) are the same for every
 * path of a realm. JSON output keeps every hop.
 */
export function shownHops(hops: readonly PathHop[]): readonly PathHop[] {
  for (let i = hops.length - 2; i > 0; i--) if (GLOBAL_OBJECT.test(hops[i].class_name)) return hops.slice(i);
  return hops;
}

/** A path as text: its pattern (`pattern`) or its line ending in `@id`, from the last global object. */
export function shownPath(hops: readonly PathHop[], pattern: boolean): string {
  return pathLine(shownHops(hops) as PathHop[], pattern);
}

/** Lines of one path group: `300 × pattern  (254,400 bytes)`. */
export function pathGroupLine(g: PathGroupResult): string {
  return `${fmt(g.count)} × ${g.hops.length > 0 ? shownPath(g.hops, true) : g.pattern}  (${fmt(g.retained)} bytes)`;
}

export function diffText(r: DiffResult, shown: number, options: { wide?: boolean } = {}): string {
  const out: string[] = [safeText(diffHeading(r))];
  if (!r.same_process) out.push(safeText(`Note: ${r.note ?? 'different processes'}. Objects cannot be matched, so there are no new/deleted counts and no leak suspects.`));
  else if (r.note) out.push(safeText(`Note: ${r.note}`));
  out.push('');
  if (r.rows.length === 0) out.push(r.same_process ? 'No class has new or deleted objects.' : 'No class changed.');
  else out.push(renderHeapyTable(diffTable(r, shown), options).trimEnd());
  if (r.same_process && r.suspect_limit > 0) {
    out.push('');
    out.push(...diffSuspectLines(r, options));
  }
  return out.join('\n') + '\n';
}

function diffSuspectLines(r: DiffResult, options: { wide?: boolean }): string[] {
  const share = r.b.total_size > 0 ? (100 * r.suspect_threshold) / r.b.total_size : 0;
  const criterion = `objects allocated after A (id > ${r.a.max_js_object_id}) retaining at least ${fmt(r.suspect_threshold)} bytes (${percent(share)}% of B)`;
  if (r.suspects.length === 0) return [safeText(`Leak suspects: none (no class of ${criterion}).`)];
  const out = [safeText(`Leak suspects: classes of ${criterion}, most retained first`)];
  r.suspects.forEach((s, i) => {
    out.push(
      safeText(
        `${String(i + 1).padStart(2)}. ${s.kind}: ${fmt(s.count)} new object${s.count === 1 ? '' : 's'} (${fmt(s.size)} bytes) retain ${fmt(s.retained)} bytes (${percent(s.retained_percent)}% of B)`,
      ),
    );
    out.push(...suspectPathLines(s.paths, s.patterns, s.traced, s.counted, options));
  });
  return out;
}

/** The path part of a suspect: grouped patterns, the biggest instance's path, and what was not traced. */
export function suspectPathLines(paths: readonly PathGroupResult[], patterns: number, traced: number, total: number, options: { wide?: boolean } = {}, indent = '    '): string[] {
  // Paths are never shortened: the whole chain is the answer (`wide` only matters for names in tables).
  void options;
  const out: string[] = [];
  for (const g of paths) out.push(indent + safeText(pathGroupLine(g)));
  if (paths.length > 0) out.push(indent + safeText(`biggest: ${paths[0].hops.length > 0 ? shownPath(paths[0].hops, false) : paths[0].line}`));
  const notes: string[] = [];
  if (patterns > paths.length) notes.push(`${patterns - paths.length} more pattern${patterns - paths.length === 1 ? '' : 's'} (--paths)`);
  if (traced < total) notes.push(`paths of the ${fmt(traced)} biggest of ${fmt(total)} objects (--instances)`);
  if (notes.length > 0) out.push(indent + safeText(`(${notes.join('; ')})`));
  return out;
}
