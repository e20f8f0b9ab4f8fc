#!/usr/bin/env node
// Checks the files written by samples/make-samples.mjs with DevTools' own engine (heap-snapshot-toolkit)
// and with a plain JSON.parse of the (small) files:
//   - Session count grows by exactly --requests between before and after and stays in final;
//   - RequestScratch grows with the requests and is gone in final;
//   - heap-snapshot-toolkit's diff(before, after) reports the same number of added Sessions;
//   - node-alloc has trace_function_infos, trace_tree, samples and non-zero trace_node_id values;
//   - prints the retainers of the Session objects and a shortest root → Session path (for the README).
//
//   node samples/verify-samples.mjs [--dir samples] [--requests 300]
// Exit status 0 when every check passes.

import { createReadStream, readFileSync } from 'node:fs';
import { gunzipSync, createGunzip } from 'node:zlib';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, diff } from 'heap-snapshot-toolkit';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Parse a .heapsnapshot.gz with DevTools' engine, streaming the gunzipped text. */
export function parseGz(file) {
  const stream = createReadStream(file).pipe(createGunzip());
  stream.setEncoding('utf8');
  return parse(stream);
}

function classCounts(snapshot, names) {
  const aggregates = snapshot.aggregatesWithFilter({});
  const out = Object.fromEntries(names.map((n) => [n, 0]));
  for (const agg of Object.values(aggregates)) if (agg.name in out) out[agg.name] += agg.count;
  return out;
}

/** Minimal raw view of a snapshot file (fine for the few-MB samples; not for big files). */
function loadRaw(file) {
  const s = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
  const meta = s.snapshot.meta;
  const F = meta.node_fields.length;
  const E = meta.edge_fields.length;
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const f = (name) => meta.node_fields.indexOf(name);
  const NT = f('type'),
    NN = f('name'),
    NI = f('id'),
    NE = f('edge_count'),
    NTR = f('trace_node_id');
  const n = s.nodes.length / F;
  const firstEdge = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) firstEdge[i + 1] = firstEdge[i] + s.nodes[i * F + NE] * E;
  const name = (k) => s.strings[s.nodes[k * F + NN]];
  const type = (k) => nodeTypes[s.nodes[k * F + NT]];
  const edgeName = (e) => {
    const t = edgeTypes[s.edges[e]];
    const v = s.edges[e + 1];
    return t === 'element' || t === 'hidden' ? `[${v}]` : s.strings[v];
  };
  return { s, meta, F, E, n, firstEdge, name, type, edgeName, edgeTypes, NI, NTR };
}

function describe(raw, k) {
  const t = raw.type(k);
  const nm = raw.name(k);
  return t === 'object' || t === 'closure' ? `${nm}` : `${t}:${nm.length > 40 ? `${nm.slice(0, 40)}…` : nm}`;
}

/** Retainer summary for all nodes named `cls` of type object, and a BFS shortest path from the root. */
function retainers(raw, cls) {
  const { s, F, E, n, firstEdge, edgeTypes } = raw;
  const isTarget = new Uint8Array(n);
  for (let k = 0; k < n; k++) if (raw.type(k) === 'object' && raw.name(k) === cls) isTarget[k] = 1;
  const summary = new Map();
  const parent = new Int32Array(n).fill(-1);
  const parentEdge = new Int32Array(n).fill(-1);
  for (let k = 0; k < n; k++) {
    for (let e = firstEdge[k]; e < firstEdge[k + 1]; e += E) {
      const to = s.edges[e + 2] / F;
      if (!isTarget[to]) continue;
      const et = edgeTypes[s.edges[e]];
      const en = raw.edgeName(e);
      const key = `${et} '${/^\[?\d+\]?$/.test(en) ? '<n>' : en}' from ${describe(raw, k)}`;
      summary.set(key, (summary.get(key) ?? 0) + 1);
    }
  }
  // BFS from the synthetic root over non-weak edges, to the first target found.
  const queue = new Int32Array(n);
  let head = 0,
    tail = 0;
  queue[tail++] = 0;
  parent[0] = 0;
  let found = -1;
  while (head < tail && found < 0) {
    const k = queue[head++];
    for (let e = firstEdge[k]; e < firstEdge[k + 1]; e += E) {
      if (edgeTypes[s.edges[e]] === 'weak') continue;
      const to = s.edges[e + 2] / F;
      if (parent[to] !== -1) continue;
      parent[to] = k;
      parentEdge[to] = e;
      if (isTarget[to]) {
        found = to;
        break;
      }
      queue[tail++] = to;
    }
  }
  const path = [];
  for (let k = found; k > 0; k = parent[k]) {
    path.unshift(`--${raw.edgeName(parentEdge[k])}--> ${describe(raw, k)}`);
  }
  return { summary: [...summary].sort((a, b) => b[1] - a[1]), path: found >= 0 ? ['(root)', ...path] : [] };
}

export async function verify({ dir = HERE, requests = 300 } = {}) {
  let ok = true;
  const check = (cond, msg) => {
    console.log(`  ${cond ? 'ok  ' : 'FAIL'} ${msg}`);
    if (!cond) ok = false;
  };
  const names = ['Session', 'RequestScratch', 'Float64Array'];
  const files = ['before', 'after', 'final'].map((x) => join(dir, `node-leak-${x}.heapsnapshot.gz`));

  console.log('verify with heap-snapshot-toolkit (DevTools engine):');
  const snaps = [];
  const counts = [];
  for (const file of files) {
    const snap = await parseGz(file);
    const c = classCounts(snap, names);
    const edges = snap.containmentEdges.length / snap.edgeFieldsCount;
    console.log(`  ${file.split('/').pop()}: ${snap.nodeCount} nodes, ${edges} edges, ${names.map((x) => `${x}=${c[x]}`).join(' ')}`);
    snaps.push(snap);
    counts.push(c);
  }
  const [b, a, f] = counts;
  check(a.Session - b.Session === requests, `Session +${a.Session - b.Session} before→after (expected +${requests})`);
  check(f.Session === a.Session, `Session unchanged after→final (${f.Session}): the leak remains`);
  check(a.RequestScratch - b.RequestScratch === requests, `RequestScratch +${a.RequestScratch - b.RequestScratch} before→after`);
  check(f.RequestScratch === 0, `RequestScratch ${f.RequestScratch} in final (freed by logout-all)`);

  const d = await diff(snaps[0], snaps[1]);
  const sessionDiff = Object.values(d).find((x) => x.name === 'Session');
  check(
    sessionDiff?.addedCount === requests && sessionDiff?.removedCount === 0,
    `toolkit diff(before, after): Session added ${sessionDiff?.addedCount}, removed ${sessionDiff?.removedCount}`,
  );
  const d2 = await diff(snaps[1], snaps[2]);
  const scratchDiff = Object.values(d2).find((x) => x.name === 'RequestScratch');
  check(scratchDiff?.removedCount === a.RequestScratch, `toolkit diff(after, final): RequestScratch removed ${scratchDiff?.removedCount}`);
  snaps.length = 0;

  const alloc = join(dir, 'node-alloc.heapsnapshot.gz');
  const allocSnap = await parseGz(alloc);
  const ac = classCounts(allocSnap, names);
  const tops = allocSnap.allocationTracesTops?.() ?? [];
  console.log(`  node-alloc.heapsnapshot.gz: ${allocSnap.nodeCount} nodes, Session=${ac.Session}, ` + `${tops.length} allocation-trace tops`);
  check(tops.length > 0, 'toolkit builds an allocation profile (allocationTracesTops non-empty)');

  console.log('raw checks (JSON.parse):');
  const ra = loadRaw(alloc);
  const tf = ra.meta.trace_function_info_fields.length;
  const traced = (() => {
    let c = 0;
    for (let k = 0; k < ra.n; k++) if (ra.s.nodes[k * ra.F + ra.NTR]) c++;
    return c;
  })();
  check(
    ra.s.snapshot.trace_function_count > 0 && ra.s.trace_function_infos.length === ra.s.snapshot.trace_function_count * tf,
    `node-alloc: trace_function_count ${ra.s.snapshot.trace_function_count}, trace_function_infos ${ra.s.trace_function_infos.length} values`,
  );
  check(ra.s.trace_tree.length > 0, `node-alloc: trace_tree has ${ra.s.trace_tree.length} top-level values`);
  check(ra.s.samples.length > 0, `node-alloc: samples has ${ra.s.samples.length / ra.meta.sample_fields.length} samples`);
  check(traced > 0, `node-alloc: ${traced} of ${ra.n} nodes have trace_node_id ≠ 0`);

  const rAfter = loadRaw(files[1]);
  const ids = (raw, cls) => {
    const out = new Set();
    for (let k = 0; k < raw.n; k++) if (raw.type(k) === 'object' && raw.name(k) === cls) out.add(raw.s.nodes[k * raw.F + raw.NI]);
    return out;
  };
  const rBefore = loadRaw(files[0]);
  const rFinal = loadRaw(files[2]);
  const idsB = ids(rBefore, 'Session'),
    idsA = ids(rAfter, 'Session'),
    idsF = ids(rFinal, 'Session');
  check(
    [...idsB].every((x) => idsA.has(x)) && [...idsA].every((x) => idsF.has(x)),
    `one process: the ${idsB.size} Session ids of before are in after, the ${idsA.size} of after are in final`,
  );
  const r = retainers(rAfter, 'Session');
  console.log('  retainers of Session objects in node-leak-after (edge type, name, from):');
  for (const [k, v] of r.summary) console.log(`    ${String(v).padStart(5)} × ${k}`);
  console.log('  a shortest path root → Session (non-weak edges):');
  console.log(`    ${r.path.join('\n      ')}`);

  console.log(ok ? 'all sample checks passed' : 'SOME SAMPLE CHECKS FAILED');
  return ok;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const opt = { dir: HERE, requests: 300 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dir') opt.dir = resolve(argv[++i]);
    else if (argv[i] === '--requests') opt.requests = Number(argv[++i]);
  }
  process.exitCode = (await verify(opt)) ? 0 : 1;
}
