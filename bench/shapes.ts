// Heap shapes for `npm run bench -- --shape NAME [--size MB]`: the same measurements on heaps built in
// different ways, because parse, analysis and write costs depend on the shape, not only on the bytes.
//
//   leaky             the default: make-big-snapshot.mjs' application heap (users, sessions, maps, closures)
//   strings-closures  make-shape-snapshot.mjs: ~1.1 M short unique strings and 140 k closures per 150 MB
//   linked-list       make-shape-snapshot.mjs: one chain of list nodes ~1.3 M deep per 150 MB
//   chromium          chromium-shape.ts: a real page in Debian's Chromium (DOM trees, listeners, JS models)
//
// The leaky shape keeps its own code path in bench.ts (baselines, --strings, the big sizes); the others
// are generated here, once per size, under bench/out/<shape>-<size>.heapsnapshot.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { makeChromiumShape } from './chromium-shape.js';

export const SHAPES = ['leaky', 'strings-closures', 'linked-list', 'chromium'] as const;
export type Shape = (typeof SHAPES)[number];

export function isShape(s: string): s is Shape {
  return (SHAPES as readonly string[]).includes(s);
}

/** Generates (or reuses) the snapshot of a non-leaky shape; returns its path. */
export async function makeShapeSnapshot(root: string, outDir: string, shape: Exclude<Shape, 'leaky'>, sizeMB: number, force: boolean): Promise<string> {
  if (shape === 'chromium') {
    console.log(`# snapshot: chromium page (bench/chromium-shape.html) ~${sizeMB} MB`);
    return makeChromiumShape(root, outDir, sizeMB, force);
  }
  const args = [join(root, 'bench', 'make-shape-snapshot.mjs'), '--shape', shape, '--size', String(sizeMB), ...(force ? ['--force'] : [])];
  console.log(`# snapshot: node bench/make-shape-snapshot.mjs ${args.slice(1).join(' ')}`);
  const code = await new Promise<number | null>((res, rej) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', rej);
    child.on('close', res);
  });
  if (code !== 0) throw new Error(`make-shape-snapshot.mjs failed (exit ${code})`);
  return join(outDir, `${shape}-${sizeMB}.heapsnapshot`);
}
