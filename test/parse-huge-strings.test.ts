// A strings section larger than V8's maximum string length (2^29 - 24 ≈ 536.9 M characters) must parse:
// DevTools' loader and memlab JSON.parse that section as one string and fail with "Invalid string length".
// The snapshot is generated on the fly and fed to the scanner in 1 MiB chunks, never held as one text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGraph } from '../src/parse/read-snapshot.js';
import { SnapshotScanner } from '../src/parse/scanner.js';

const V8_MAX_STRING_LENGTH = 2 ** 29 - 24;

test("a strings section past V8's 536.9 M-character limit streams through", { timeout: 300_000 }, () => {
  const stringCount = 560_000;
  const filler = 'x'.repeat(990);
  const header =
    '{"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count"],"node_types":[["synthetic","string"]],' +
    '"edge_fields":["type","name_or_index","to_node"],"edge_types":[["element","property"]]},"node_count":2,"edge_count":1},' +
    `"nodes":[0,0,1,0,1,1,${stringCount - 1},3,1000,0],"edges":[1,${stringCount - 2},5],"strings":[`;
  const scanner = new SnapshotScanner('generated');
  scanner.feed(Buffer.from(header));
  let chars = 0;
  let pending: string[] = [];
  let pendingBytes = 0;
  for (let i = 0; i < stringCount; i++) {
    const s = `${String(i).padStart(10, '0')}${filler}`;
    chars += s.length;
    pending.push(`${i > 0 ? ',' : ''}"${s}"`);
    pendingBytes += s.length + 3;
    if (pendingBytes >= 1 << 20) {
      scanner.feed(Buffer.from(pending.join(''), 'latin1'));
      pending = [];
      pendingBytes = 0;
    }
  }
  pending.push(']}');
  scanner.feed(Buffer.from(pending.join(''), 'latin1'));
  assert.ok(chars > V8_MAX_STRING_LENGTH, `the section holds ${chars} characters`);
  const graph = buildGraph(scanner.finish(), 'generated');
  assert.equal(graph.strings.length, stringCount);
  assert.equal(graph.strings.get(stringCount - 1), `${String(stringCount - 1).padStart(10, '0')}${filler}`);
  assert.equal(graph.strings.get(123_456)?.slice(0, 10), '0000123456');
  assert.equal(graph.edgeTo[0], 1);
});
