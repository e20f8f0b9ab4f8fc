// The scanner holds every byte of a snapshot to the JSON grammar (RFC 8259) and every integer to the
// range of the typed array it goes into. Each case below was once accepted (and read as something else)
// or crashed; it must now be an InputError naming the byte offset, the same at every chunk size, and
// JSON.parse must agree that the grammar cases are not JSON.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../src/errors.js';
import { parseSnapshotBytes } from '../src/parse/read-snapshot.js';

const META = {
  node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id'],
  node_types: [['hidden', 'object', 'synthetic'], 'string', 'number', 'number', 'number', 'number'],
  edge_fields: ['type', 'name_or_index', 'to_node'],
  edge_types: [['element', 'property', 'hidden'], 'string_or_number', 'node'],
  trace_function_info_fields: ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'],
  trace_node_fields: ['id', 'function_info_index', 'count', 'size', 'children'],
  sample_fields: ['timestamp_us', 'last_assigned_id'],
  location_fields: ['object_index', 'script_id', 'line', 'column'],
};

/** A small but complete snapshot: two nodes, one edge, every section, and one section heapdiff keeps verbatim. */
const GOOD =
  `{"snapshot":{"meta":${JSON.stringify(META)},"node_count":2,"edge_count":1,"trace_function_count":1},\n` +
  '"nodes":[2,0,1,0,1,0\n,1,1,3,4294967295,0,2\n],\n' +
  '"edges":[1,2,6\n],\n' +
  '"trace_function_infos":[0,1,2,3,4,5],\n' +
  '"trace_tree":[1,0,0,0,[2,0,3,9007199254740991,[]]],\n' +
  '"samples":[9007199254740991,3],\n' +
  '"locations":[6,1,2,3],\n' +
  '"scopes":{"a":[1,-2.5e+3,true,false,null,"x\\u0041"],"b":{}},\n' +
  '"strings":["<dummy>","Obj","prop"]}\n';

function parse(text: string | Buffer, chunk = 1 << 20) {
  return parseSnapshotBytes(Buffer.isBuffer(text) ? text : Buffer.from(text), 'in', chunk);
}

/** The one-line error of parsing `text`, checked to be the same at chunk sizes 1, 3 and whole. */
function errorOf(text: string | Buffer): string {
  const messages = [1, 3, 1 << 20].map((chunk) => {
    try {
      parse(text, chunk);
      return 'accepted';
    } catch (e) {
      assert.ok(e instanceof InputError, `an InputError, not ${(e as Error).stack}`);
      return e.message;
    }
  });
  assert.equal(messages[1], messages[0], 'chunk size 3 gives the same error');
  assert.equal(messages[2], messages[0], 'one chunk gives the same error');
  assert.doesNotMatch(messages[0], /\n/, 'one line');
  return messages[0];
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

test('the base snapshot parses, with values at the very top of their ranges', () => {
  assert.ok(isJson(GOOD));
  const g = parse(GOOD);
  assert.equal(g.nodes[1 * g.layout.nodeFieldCount + g.layout.nodeSelfSizeOffset], 4294967295);
  assert.equal(g.trace!.treeSize[1], Number.MAX_SAFE_INTEGER);
  assert.equal(g.trace!.samples[0], Number.MAX_SAFE_INTEGER);
  assert.equal(g.extraSections.scopes, '{"a":[1,-2.5e+3,true,false,null,"x\\u0041"],"b":{}}');
  assert.equal(errorOf(GOOD), 'accepted');
});

/** [name, text, expected error, whether JSON.parse accepts the text] */
const REJECTED: [string, string, RegExp, boolean][] = [
  // numbers that do not fit their typed array
  [
    'self_size 2^32',
    GOOD.replace('4294967295', '4294967296'),
    /a number larger than 4294967295 in "nodes" field "self_size" of record #1 .* at byte (\d+)$/,
    true,
  ],
  ['self_size 2^53+1', GOOD.replace('4294967295', '9007199254740993'), /larger than 4294967295 in "nodes" field "self_size"/, true],
  ['a 400-digit number', GOOD.replace('4294967295', '9'.repeat(400)), /larger than 4294967295 in "nodes"/, true],
  ['to_node 2^32 + 6', GOOD.replace('"edges":[1,2,6', '"edges":[1,2,4294967302'), /larger than 4294967295 in "edges" field "to_node" of record #0/, true],
  ['a location 2^32', GOOD.replace('"locations":[6,1,2,3]', '"locations":[6,1,4294967296,3]'), /larger than 4294967295 in "locations" value #2/, true],
  ['a function info 2^32', GOOD.replace('[0,1,2,3,4,5]', '[0,1,2,3,4,4294967296]'), /larger than 4294967295 in "trace_function_infos"/, true],
  ['a sample 2^53', GOOD.replace('"samples":[9007199254740991', '"samples":[9007199254740992'), /larger than 9007199254740991 in "samples" value #0/, true],
  [
    'a trace size 2^53',
    GOOD.replace('3,9007199254740991,[]', '3,9007199254740992,[]'),
    /larger than 9007199254740991 in "trace_tree" \(size of trace node #1\)/,
    true,
  ],
  ['a trace count 2^32', GOOD.replace('[2,0,3,', '[2,0,4294967296,'), /larger than 4294967295 in "trace_tree" \(count of trace node #1\)/, true],
  // the grammar of integer arrays
  ['a leading zero', GOOD.replace('"edges":[1,2,6', '"edges":[1,02,6'), /a number with a leading zero in "edges"/, false],
  ['two numbers without a comma', GOOD.replace('"edges":[1,2,6', '"edges":[1,2 6'), /a missing ',' between two numbers in "edges"/, false],
  ['a double comma', GOOD.replace('"nodes":[2,0,1', '"nodes":[2,,0,1'), /',' without a value before it in "nodes" at byte (\d+)$/, false],
  ['a comma first', GOOD.replace('"nodes":[2', '"nodes":[,2'), /',' before the first value in "nodes"/, false],
  ['a trailing comma', GOOD.replace('"edges":[1,2,6\n]', '"edges":[1,2,6,\n]'), /a trailing ',' before ']' in "edges"/, false],
  ['a negative number', GOOD.replace('"locations":[6,1,2,3]', '"locations":[6,-1,2,3]'), /unexpected '-'.* in "locations"/, true],
  ['a fraction', GOOD.replace('"edges":[1,2,6', '"edges":[1,2.0,6'), /unexpected '\.' \(only integers are allowed/, true],
  ['an exponent', GOOD.replace('"edges":[1,2,6', '"edges":[1,2e0,6'), /unexpected 'e' \(only integers are allowed/, true],
  ['NaN', GOOD.replace('"samples":[9007199254740991', '"samples":[NaN'), /unexpected 'N' \(expected an unsigned integer\) in "samples"/, false],
  ['Infinity', GOOD.replace('"locations":[6', '"locations":[Infinity'), /unexpected 'I'/, false],
  ['a trace tree missing a comma', GOOD.replace('[1,0,0,0,[2', '[1,0,0,0[2'), /unexpected '\[' in "trace_tree" \(expected ',' or '\]'\)/, false],
  ['a trace tree double comma', GOOD.replace('[1,0,0,0,[2', '[1,0,0,,0,[2'), /',' without a value before it in "trace_tree"/, false],
  ['a trace tree trailing comma', GOOD.replace('[]]]', '[],]]'), /a trailing ',' before '\]' in "trace_tree"/, false],
  // strings
  ['two strings without a comma', GOOD.replace('"Obj","prop"', '"Obj""prop"'), /a missing ',' between two strings in "strings" \(after string #1\)/, false],
  ['a double comma between strings', GOOD.replace('"Obj","prop"', '"Obj",,"prop"'), /',' without a value before it in "strings"/, false],
  ['a trailing comma in strings', GOOD.replace('"prop"]', '"prop",]'), /a trailing ',' before '\]' in "strings"/, false],
  ['a raw tab in a string', GOOD.replace('"Obj"', '"O\tbj"'), /a raw control character in "strings" \(string #1; it must be escaped\)/, false],
  ['a raw NUL in a string', GOOD.replace('"Obj"', '"O\u0000bj"'), /a raw control character in "strings"/, false],
  ['a bad escape', GOOD.replace('"Obj"', '"O\\xbj"'), /invalid string escape in "strings" \(string #1\)/, false],
  ['a short \\u escape', GOOD.replace('"Obj"', '"O\\u12"'), /invalid string escape/, false],
  ['a number in strings', GOOD.replace('"Obj"', '7'), /unexpected '7' in "strings" \(expected a string\)/, true],
  // the header and the sections kept verbatim
  ['NaN in the header', GOOD.replace('"node_count":2', '"node_count":NaN'), /invalid JSON in the "snapshot" header: expected a JSON value/, false],
  [
    'a header nested 10,000 deep',
    GOOD.replace('"node_count":2', `"x":${'['.repeat(10_000)}${']'.repeat(10_000)},"node_count":2`),
    /the "snapshot" header: nesting deeper than 64 levels/,
    true,
  ],
  ['a trailing comma in the header', GOOD.replace('"trace_function_count":1}', '"trace_function_count":1,}'), /a trailing ',' before '}'/, false],
  ['unbalanced brackets in a kept section', GOOD.replace('"b":{}}', '"b":{]}'), /invalid JSON in section "scopes": expected a key/, false],
  ['a bracket closing the wrong kind', GOOD.replace('"x\\u0041"]', '"x\\u0041"}'), /section "scopes": '}' closes an array/, false],
  ['a leading zero in a kept section', GOOD.replace('[1,-2.5e+3', '[01,-2.5e+3'), /section "scopes": a number with a leading zero/, false],
  ['a bare minus in a kept section', GOOD.replace('[1,-2.5e+3', '[1,-,2'), /section "scopes": a '-' without digits/, false],
  [
    'a kept section nested 2,000 deep',
    GOOD.replace('"b":{}', `"b":${'['.repeat(2000)}${']'.repeat(2000)}`),
    /section "scopes": nesting deeper than 1000 levels \(at nesting depth 1000\)/,
    true,
  ],
  ['a misspelt literal', GOOD.replace('true,false', 'ture,false'), /an invalid literal \(expected "true"\)/, false],
  ['a top-level trailing comma', GOOD.replace('"prop"]}', '"prop"],}'), /a trailing ',' before '}'/, false],
  ['a raw control character in a key', GOOD.replace('"scopes"', '"sco\u0001pes"'), /raw control character inside a top-level key/, false],
  // header values
  ['extra_native_bytes negative', GOOD.replace('"node_count":2', '"extra_native_bytes":-4988232,"node_count":2'), /invalid extra_native_bytes -4988232/, true],
  ['extra_native_bytes fractional', GOOD.replace('"node_count":2', '"extra_native_bytes":0.5,"node_count":2'), /invalid extra_native_bytes 0\.5/, true],
  ['extra_native_bytes 2^53', GOOD.replace('"node_count":2', '"extra_native_bytes":9007199254740992,"node_count":2'), /invalid extra_native_bytes/, true],
  ['extra_native_bytes 1e309', GOOD.replace('"node_count":2', '"extra_native_bytes":1e309,"node_count":2'), /invalid extra_native_bytes null/, true],
  ['trace_function_count []', GOOD.replace('"trace_function_count":1', '"trace_function_count":[]'), /invalid trace_function_count \[\]/, true],
  ['trace_function_count true', GOOD.replace('"trace_function_count":1', '"trace_function_count":true'), /invalid trace_function_count true/, true],
  ['root_index with a C1 control', GOOD.replace('"node_count":2', '"root_index":"\u009b31m","node_count":2'), /unsupported root_index "\\u009b31m"/, true],
  // snapshot.meta's shape
  ['meta not an object', GOOD.replace(/"meta":\{.*?\},"node_count"/, '"meta":[],"node_count"'), /snapshot\.meta is not an object/, true],
  [
    'node_fields not strings',
    GOOD.replace('"node_fields":["type"', '"node_fields":[1,"type"'),
    /snapshot\.meta\.node_fields is not a list of 1 to 64 field names/,
    true,
  ],
  [
    'node_types not a list',
    GOOD.replace(/"node_types":\[.*?\],"edge_fields"/, '"node_types":{},"edge_fields"'),
    /snapshot\.meta\.node_types is not a list/,
    true,
  ],
  [
    'the node type enum not names',
    GOOD.replace('"node_types":[["hidden"', '"node_types":[[1,"hidden"'),
    /node_types\[0\] is neither a type description nor a list of type names/,
    true,
  ],
  [
    'a field named twice',
    GOOD.replace('"sample_fields":["timestamp_us",', '"sample_fields":["timestamp_us","Timestamp_US",'),
    /sample_fields names the field "timestamp_us" twice/,
    true,
  ],
  [
    'a location field the store adds',
    GOOD.replace('"location_fields":["object_index"', '"location_fields":["node_ordinal","object_index"'),
    /location_fields may not name a field "node_ordinal"/,
    true,
  ],
  [
    'samples not a multiple of their fields',
    GOOD.replace('"samples":[9007199254740991,3]', '"samples":[1,2,3]'),
    /"samples" holds 3 values, not a multiple of its 2 fields/,
    true,
  ],
];

for (const [name, text, expect, jsonAccepts] of REJECTED) {
  test(`rejected: ${name}`, () => {
    assert.notEqual(text, GOOD, 'the mutation applied');
    const message = errorOf(text);
    assert.match(message, expect);
    assert.match(message, /^in: /);
    if (!/holds \d+ values/.test(message)) assert.match(message, /at byte \d+$/, 'names the byte offset');
    assert.equal(isJson(text), jsonAccepts, `JSON.parse ${jsonAccepts ? 'accepts' : 'refuses'} it too`);
  });
}

test('the offset is the first byte of the offending number or punctuation', () => {
  assert.match(errorOf(GOOD.replace('4294967295', '4294967296')), new RegExp(`at byte ${GOOD.indexOf('4294967295')}$`));
  assert.match(errorOf(GOOD.replace('"nodes":[2,0,1', '"nodes":[2,,0,1')), new RegExp(`at byte ${GOOD.indexOf('"nodes":[') + 11}$`));
  assert.match(errorOf(GOOD.replace('"Obj","prop"', '"Obj""prop"')), new RegExp(`at byte ${GOOD.indexOf('"prop"') - 1}$`));
  // A number that straddles chunks: its start is still known.
  const big = GOOD.replace('"samples":[9007199254740991', '"samples":[90071992547409920');
  assert.match(errorOf(big), new RegExp(`at byte ${GOOD.indexOf('"samples":[') + 11}$`));
});

test('rejected: an incomplete byte-order mark', () => {
  assert.match(errorOf(Buffer.concat([Buffer.from([0xef, 0xbb]), Buffer.from(GOOD)])), /an incomplete UTF-8 byte-order mark at byte 2$/);
});

test('rejected: invalid UTF-8 in strings, keys, the header and kept sections', () => {
  const bytes = ([a, b]: [string, string], mid: number[]) => Buffer.concat([Buffer.from(a), Buffer.from(mid), Buffer.from(b)]);
  const split = (marker: string, at: number): [string, string] => [GOOD.slice(0, GOOD.indexOf(marker) + at), GOOD.slice(GOOD.indexOf(marker) + at)];
  for (const bad of [[0xc3, 0x28], [0xff], [0xed, 0xa0, 0x80] /* an encoded surrogate */, [0xc0, 0xaf] /* overlong */, [0xe2, 0x82]]) {
    assert.match(errorOf(bytes(split('"Obj"', 2), bad)), /invalid UTF-8 in "strings" \(string #1\)/);
    assert.match(errorOf(bytes(split('"x\\u0041"', 2), bad)), /invalid JSON in section "scopes": invalid UTF-8 inside a string/);
    assert.match(errorOf(bytes(split('"scopes"', 2), bad)), /invalid UTF-8 inside a top-level key/);
    assert.match(errorOf(bytes(split('"node_count"', 2), bad)), /invalid JSON in the "snapshot" header: invalid UTF-8/);
  }
});

test('accepted: a byte-order mark, lone surrogate escapes, raw UTF-8, escaped keys, JSON whitespace anywhere', () => {
  assert.equal(parse(`\u{feff}${GOOD}`).strings.get(1), 'Obj');
  // V8 writes a string holding a lone surrogate as a \uD800-style escape; JSON.parse accepts it, so do we.
  const lone = GOOD.replace('"Obj"', '"a\\ud800b\\uDC00"');
  assert.equal(errorOf(lone), 'accepted');
  assert.equal(parse(lone).strings.get(1), JSON.parse('"a\\ud800b\\uDC00"'));
  assert.equal(parse(GOOD.replace('"Obj"', '"\u00e9\u{1f600}"')).strings.get(1), '\u00e9\u{1f600}');
  assert.deepEqual(parse(GOOD.replace('"scopes"', '"sc\\u006fpes"')).sections.includes('scopes'), true);
  const spaced = GOOD.replace(/,/g, ' \t,\r\n ').replace(/\[/g, '[ ').replace(/\]/g, ' ]').replace(/:/g, ' : ');
  assert.ok(isJson(spaced));
  assert.equal(errorOf(spaced), 'accepted');
  assert.equal(errorOf(GOOD.replace('"trace_tree":[1,0,0,0,[2,0,3,9007199254740991,[]]]', '"trace_tree":[]')), 'accepted');
  assert.equal(errorOf(GOOD.replace('"scopes":{', '"scopes":-0.5e-3,"more":{')), 'accepted');
});

test('long strings (checked by native code past 64 bytes) decode and are checked like short ones', () => {
  const cases = [
    `${'a'.repeat(63)}\\"${'b'.repeat(100)}`,
    `${'a'.repeat(62)}\\\\\\"${'b'.repeat(100)}`,
    `${'a'.repeat(64)}\\\\\\\\c`,
    `${'a'.repeat(63)}\\\\`,
    `${'\\u00e9'.repeat(40) + 'x'.repeat(70)}\\ud800`,
    `${'x'.repeat(70)}\u00e9\u{1f600}`,
  ];
  for (const body of cases) {
    const text = GOOD.replace('"Obj"', `"${body}"`);
    assert.equal(errorOf(text), 'accepted', body);
    assert.equal(parse(text, 5).strings.get(1), JSON.parse(`"${body}"`));
  }
  const long = 'y'.repeat(200);
  const at = GOOD.indexOf('"Obj"') + 1 + 150;
  assert.match(
    errorOf(GOOD.replace('"Obj"', `"${long.slice(0, 150)}\u0001${long}"`)),
    new RegExp(`a raw control character in "strings" \\(string #1; it must be escaped\\) at byte ${at}$`),
  );
  const withHash = Buffer.from(GOOD.replace('"Obj"', `"${long.slice(0, 150)}#${long}"`));
  withHash[at] = 0xff;
  assert.match(errorOf(withHash), /invalid UTF-8 in "strings" \(string #1\)/);
  assert.match(errorOf(GOOD.replace('"Obj"', `"${long}\\q"`)), /invalid string escape in "strings" \(string #1\)/);
  const cut = GOOD.replace('"Obj"', `"${long}"`);
  assert.match(errorOf(cut.slice(0, cut.indexOf(long) + 100)), /unexpected end of file inside "strings" at byte/);
});
