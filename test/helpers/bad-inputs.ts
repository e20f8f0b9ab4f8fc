// The bad-input corpus: broken snapshots derived from one good snapshot, each with the error a user
// should see. Every case must end with exit status 2, one line on stderr and no database left behind.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BadCase {
  name: string;
  path: string;
  /** A fragment the one-line error must contain. */
  expect: RegExp;
}

/** Replaces the `index`-th number of the array that follows `"key":[` in the text. */
function replaceArrayValue(text: string, key: string, index: number, f: (v: number) => number): string {
  let p = text.indexOf(`"${key}":[`) + key.length + 4;
  for (let i = 0; i < index; i++) p = text.indexOf(',', p) + 1;
  while (text[p] === '\n' || text[p] === ' ') p++;
  let q = p;
  while (text[q] >= '0' && text[q] <= '9') q++;
  return text.slice(0, p) + String(f(Number(text.slice(p, q)))) + text.slice(q);
}

export function makeBadInputs(good: Buffer, dir: string): BadCase[] {
  mkdirSync(dir, { recursive: true });
  const text = good.toString('utf8');
  const header = JSON.parse(
    text
      .slice(text.indexOf(':') + 1, text.indexOf('"nodes"'))
      .trim()
      .replace(/,$/, ''),
  ) as {
    node_count: number;
    edge_count: number;
    meta: { node_fields: string[] };
  };
  const F = header.meta.node_fields.length;
  const cases: BadCase[] = [];
  const add = (name: string, content: string | Buffer, expect: RegExp) => {
    const path = join(dir, `${name}.heapsnapshot`);
    writeFileSync(path, content);
    cases.push({ name, path, expect });
  };
  add('empty', '', /empty file/);
  add('not-json', 'hello, world\n', /not a heap snapshot/);
  add('json-not-snapshot', '{"foo": [1, 2, 3], "bar": {"baz": "qux"}}', /no "snapshot" header|missing section/);
  add('json-array', '[1, 2, 3]', /not a heap snapshot/);
  add('nodes-before-header', '{"nodes":[1,2,3],"snapshot":{}}', /before the "snapshot" header/);
  for (const frac of [0.001, 0.1, 0.5, 0.9, 0.999]) {
    add(`truncated-${frac}`, good.subarray(0, Math.floor(good.length * frac)), /unexpected end of file|truncated/);
  }
  add('truncated-last-byte', good.subarray(0, good.length - 1), /unexpected end of file/);
  add('trailing-garbage', Buffer.concat([good, Buffer.from('xyz')]), /after the end of the snapshot/);
  const gz = gzipSync(good);
  add('corrupt-gzip', Buffer.concat([gz.subarray(0, 10), Buffer.alloc(2000, 0x55)]), /gzip/);
  add('truncated-gzip', gz.subarray(0, Math.floor(gz.length / 2)), /gzip|unexpected end of file/);
  add(
    'node-count-too-big',
    text.replace(`"node_count":${header.node_count}`, `"node_count":${header.node_count + 1}`),
    /"nodes" holds \d+ values but node_count/,
  );
  add('node-count-too-small', text.replace(`"node_count":${header.node_count}`, `"node_count":${header.node_count - 1}`), /"nodes" holds more than node_count/);
  add(
    'edge-count-too-big',
    text.replace(`"edge_count":${header.edge_count}`, `"edge_count":${header.edge_count + 1}`),
    /"edges" holds \d+ values but edge_count/,
  );
  add('edge-count-too-small', text.replace(`"edge_count":${header.edge_count}`, `"edge_count":${header.edge_count - 1}`), /"edges" holds more than edge_count/);
  add(
    'to-node-not-multiple',
    replaceArrayValue(text, 'edges', 2, (v) => v + 1),
    /to_node \d+, which is not a multiple/,
  );
  add(
    'to-node-out-of-range',
    replaceArrayValue(text, 'edges', 2, () => header.node_count * F),
    /to_node \d+, which is past the last node/,
  );
  add(
    'node-name-out-of-range',
    replaceArrayValue(text, 'nodes', 1, () => 999999999),
    /string index 999999999/,
  );
  add('negative-number', replaceArrayValue(text, 'nodes', 3, () => 0).replace('"nodes":[', '"nodes":[-'), /unexpected '-'/);
  add('bad-meta', text.replace('"node_fields"', '"nodeFields"'), /node_fields/);
  // Integers that do not fit their typed array (they used to wrap: a 4 GiB self_size became 0).
  const selfSize = header.meta.node_fields.indexOf('self_size');
  add(
    'self-size-2^32',
    replaceArrayValue(text, 'nodes', F + selfSize, () => 2 ** 32),
    /a number larger than 4294967295 in "nodes" field "self_size" of record #1/,
  );
  add(
    'to-node-wraps',
    replaceArrayValue(text, 'edges', 2, () => 2 ** 32 + F),
    /a number larger than 4294967295 in "edges" field "to_node"/,
  );
  add(
    'location-2^53',
    replaceArrayValue(text, 'locations', 1, () => 2 ** 53),
    /a number larger than 4294967295 in "locations"/,
  );
  // The JSON grammar, everywhere.
  add('strings-missing-comma', text.replace('"(GC roots)",', '"(GC roots)"'), /a missing ',' between two strings/);
  add('strings-raw-control', text.replace('"(GC roots)"', '"(GC\troots)"'), /raw control character in "strings"/);
  add(
    'strings-invalid-utf8',
    Buffer.concat([
      Buffer.from(text.slice(0, text.indexOf('"(GC roots)"') + 4)),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(text.slice(text.indexOf('"(GC roots)"') + 4)),
    ]),
    /invalid UTF-8 in "strings"/,
  );
  add('nodes-leading-zero', text.replace('"nodes":[', '"nodes":[0'), /leading zero in "nodes"/);
  const edgesComma = text.indexOf(',', text.indexOf('"edges":['));
  add('edges-double-comma', `${text.slice(0, edgesComma)},${text.slice(edgesComma)}`, /',' without a value before it in "edges"/);
  add('unknown-section-unbalanced', text.replace('"strings":[', '"scopes":[[1,2}],"strings":['), /invalid JSON in section "scopes": '}' closes an array/);
  // Header numbers.
  for (const [name, v] of [
    ['negative', '-4988232'],
    ['fraction', '1.5'],
    ['2^53', String(2 ** 53)],
    ['1e309', '1e309'],
  ]) {
    add(`extra-native-bytes-${name}`, text.replace('"node_count":', `"extra_native_bytes":${v},"node_count":`), /invalid extra_native_bytes/);
  }
  for (const [name, v] of [
    ['array', '[]'],
    ['true', 'true'],
  ]) {
    add(`trace-function-count-${name}`, text.replace(/"trace_function_count":\d+/, `"trace_function_count":${v}`), /invalid trace_function_count/);
  }
  add('header-nested-10000', text.replace('"node_count":', `"deep":${'['.repeat(10_000)}${']'.repeat(10_000)},"node_count":`), /nesting deeper than 64 levels/);
  add(
    'meta-sample-fields-twice',
    text.replace('"sample_fields":["timestamp_us"', '"sample_fields":["timestamp_us","TIMESTAMP_US"'),
    /sample_fields names the field "timestamp_us" twice/,
  );
  return cases;
}
