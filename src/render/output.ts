// What every query command shares about output: the formats (`--format`, declared in
// src/cli/options.ts), rendering a table in one of them, and writing the rendered text to stdout. The
// renderers turn results into text; this only picks one and writes it.

import { InputError } from '../errors.js';
import { renderHeapyTable } from './heapy.js';
import { renderCsv, renderJson, renderMarkdown, tableToJson, type RenderOptions, type Table } from './table.js';

export const FORMATS = ['text', 'json', 'csv', 'md'] as const;
export type Format = (typeof FORMATS)[number];

export function checkFormat(f: string): Format {
  if (!(FORMATS as readonly string[]).includes(f)) throw new InputError(`--format: expected one of ${FORMATS.join(', ')} (got ${JSON.stringify(f)})`);
  return f as Format;
}

/** Renders a table in the chosen format; `json` uses `json` when given, else the generic table shape. */
export function renderTableAs(format: Format, table: Table, options: RenderOptions & { json?: object } = {}): string {
  switch (format) {
    case 'json':
      return renderJson(options.json ?? tableToJson(table));
    case 'csv':
      return renderCsv(table);
    case 'md':
      return renderMarkdown(table, options);
    default:
      return renderHeapyTable(table, options);
  }
}

let guarded = false;
/** Writes to stdout; a closed pipe (`| head`) ends output quietly instead of crashing. */
export function writeOut(text: string): void {
  if (!guarded) {
    guarded = true;
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
  }
  process.stdout.write(text);
}
