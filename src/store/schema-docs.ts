// The tables of docs/schema.md, generated from the declared schema (schema.ts): every table, view and
// index with its columns, public ones first. The hand-written prose around them stays; the generated
// part sits between two markers. `npm run docs:schema` rewrites it; test/store-schema.test.ts fails
// when it is stale or when a real store disagrees with it.

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SCHEMA, type TableSpec } from './schema.js';

export const BEGIN_MARKER = '<!-- generated from src/store/schema.ts by `npm run docs:schema`: edit there, not here -->';
export const END_MARKER = '<!-- end of generated tables -->';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function section(t: TableSpec): string {
  const facts: string[] = [];
  if (t.kind === 'index') facts.push(`index on \`${t.from!({} as never)}(${t.columns.map((c) => c.name).join(', ')})\``);
  else if (t.primaryKey) facts.push(`primary key (${t.primaryKey.map((c) => `\`${c}\``).join(', ')})`);
  if (t.withoutRowid) facts.push('WITHOUT ROWID');
  if (t.phase === 'pages') facts.push('written as SQLite pages at ingest');
  if (t.phase === 'summaries') facts.push('query summary');
  const lines = [
    `#### \`${t.name}\` (${t.kind})`,
    '',
    `${t.meaning[0].toUpperCase()}${t.meaning.slice(1)}${t.meaning.endsWith('.') ? '' : '.'}${facts.length > 0 ? ` *${facts.join('; ')}.*` : ''}`,
  ];
  if (t.fromFile) lines.push('', "Its columns are the snapshot file's own field list; the usual ones are below.");
  lines.push('', '| column | type | meaning |', '|---|---|---|');
  for (const c of t.columns) lines.push(`| \`${c.name}\` | ${c.type || 'any'}${c.nullable ? ', NULL allowed' : ''} | ${cell(c.meaning || 'the index key')} |`);
  return lines.join('\n');
}

/** The generated part of docs/schema.md (without the markers). */
export function schemaMarkdown(): string {
  const part = (visibility: TableSpec['visibility']) =>
    SCHEMA.filter((t) => t.visibility === visibility)
      .map(section)
      .join('\n\n');
  return [
    '### Public tables and views',
    '',
    "What to query. `nodes` and `edges` resolve names to text; the other tables hold the file's sections, DevTools' Summary and Statistics, and the query summaries.",
    '',
    part('public'),
    '',
    '### Internal tables, views and indexes',
    '',
    "Physical storage behind `nodes` and `edges`, and the views heapdiff's own queries read. Their layout may change with `meta.schema_version`.",
    '',
    part('internal'),
  ].join('\n');
}

/** `text` (docs/schema.md) with its generated part replaced. */
export function withSchemaTables(text: string): string {
  const a = text.indexOf(BEGIN_MARKER);
  const b = text.indexOf(END_MARKER);
  if (a < 0 || b < a) throw new Error('docs/schema.md: the generated-tables markers are missing');
  return `${text.slice(0, a + BEGIN_MARKER.length)}\n\n${schemaMarkdown()}\n\n${text.slice(b)}`;
}

/** docs/schema.md's path, from dist/src/store/ or src/store/. */
export function schemaDocPath(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return fileURLToPath(new URL(here.includes('/dist/') ? '../../../docs/schema.md' : '../../docs/schema.md', import.meta.url));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const path = schemaDocPath();
  const before = readFileSync(path, 'utf8');
  const after = withSchemaTables(before);
  if (after !== before) writeFileSync(path, after);
  process.stdout.write(`${path}: ${after === before ? 'up to date' : 'tables regenerated'}\n`);
}
