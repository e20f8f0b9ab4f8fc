// docs/api.md's examples are programs: every ```js block there runs here, from the project's root, with
// `heapdiff` resolved to this checkout's build, so the documented API cannot drift from the real one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { ROOT, tempDir } from './helpers/env.js';

const page = readFileSync(join(ROOT, 'docs/api.md'), 'utf8');
const blocks = [...page.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
const api = pathToFileURL(join(ROOT, 'dist/src/api/index.js')).href;
const cache = tempDir('heapdiff-api-docs-');

test('docs/api.md has examples', () => {
  assert.ok(blocks.length >= 3, `${blocks.length} js blocks`);
});

blocks.forEach((code, i) => {
  test(`docs/api.md example ${i + 1} runs`, () => {
    const file = join(cache, `example-${i + 1}.mjs`);
    writeFileSync(file, code.replace(/from 'heapdiff'/g, `from '${api}'`));
    const r = spawnSync(process.execPath, [file], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, HEAPDIFF_CACHE_DIR: join(cache, 'cache') } });
    assert.equal(r.status, 0, `${r.stderr}\n--- example ${i + 1}:\n${code}`);
  });
});
