// The README documents every theming hook the widget has: each `--kefu-*` custom
// property widget.css reads and each `part="…"` the widget renders is named in
// README.md ("Theming, isolation and CSP"), so the docs cannot fall behind the code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

function rustFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? rustFiles(path) : path.endsWith('.rs') ? [path] : [];
  });
}

test('every custom property widget.css reads is documented in the README', () => {
  const css = readFileSync(join(ROOT, 'static/widget.css'), 'utf8');
  const used = new Set([...css.matchAll(/var\((--kefu-[a-z0-9-]+)/g)].map((m) => m[1]));
  assert.ok(used.size >= 10, `found ${used.size} properties`);
  const missing = [...used].filter((p) => !readme.includes(`\`${p}\``));
  assert.deepEqual(missing, [], 'properties missing from README.md');
});

test('every part the widget renders is documented in the README', () => {
  const parts = new Set();
  for (const file of rustFiles(join(ROOT, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/part="([a-z-]+)"/g)) parts.add(m[1]);
  }
  assert.ok(parts.size >= 5, `found ${[...parts].join(', ')}`);
  const missing = [...parts].filter((p) => !readme.includes(`| \`${p}\` |`));
  assert.deepEqual(missing, [], 'parts missing from README.md');
});
