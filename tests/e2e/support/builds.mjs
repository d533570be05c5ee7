// The widget's published builds in an assets dir, as `cargo xtask` lays them out
// (xtask/src/publish.rs): dist/widget/ holds each build's content-hashed glue, wasm and
// stylesheet with .br/.gz siblings, the current build under the plain names too, and
// builds.json (newest first); dist/widget-loader.js names the current build. Here a
// test copies the real build into a temp dir and publishes a second build made from it.
import { cpSync, mkdtempSync, readFileSync, writeFileSync, renameSync, rmSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PLAIN = { glue: 'kefu-widget.js', wasm: 'kefu-widget_bg.wasm', css: 'widget.css' };

/** A temp assets dir holding a copy of `root`'s published widget and loader. */
export function copyAssets(root) {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-assets-'));
  cpSync(join(root, 'dist/widget'), join(dir, 'dist/widget'), { recursive: true });
  for (const f of ['widget-loader.js', 'widget-loader.js.br', 'widget-loader.js.gz']) {
    if (existsSync(join(root, 'dist', f))) cpSync(join(root, 'dist', f), join(dir, 'dist', f));
  }
  return dir;
}

/** The builds of the assets dir `dir`, newest first: [{ glue, wasm, css }]. */
export function builds(dir) {
  return JSON.parse(readFileSync(join(dir, 'dist/widget/builds.json'), 'utf8')).builds;
}

const hash = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

/** A wasm custom section (id 0) named `name` holding `payload`; sizes under 128 B. */
function customSection(name, payload) {
  const body = Buffer.concat([Buffer.from([name.length]), Buffer.from(name), Buffer.from(payload)]);
  if (body.length >= 128) throw new Error('section too long for a one-byte size');
  return Buffer.concat([Buffer.from([0, body.length]), body]);
}

/** Write `bytes` at `path` through a temporary file, and its .br/.gz siblings. */
function publishFile(path, bytes) {
  const siblings = [
    ['.br', brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })],
    ['.gz', gzipSync(bytes, { level: 9 })],
  ];
  for (const [suffix, packed] of [['', bytes], ...siblings]) {
    writeFileSync(`${path}${suffix}.tmp`, packed);
    renameSync(`${path}${suffix}.tmp`, `${path}${suffix}`);
  }
}

/**
 * Publish build B into `dir` from its current build A: the glue with a comment (and
 * B's wasm as its default), the wasm with an extra custom section, the stylesheet
 * with a rule that sets `--kefu-build: B` on the host; hashed names, plain names,
 * manifest, and last the loader with A's names replaced by B's. Returns { a, b }.
 */
export function publishBuildB(dir) {
  const widget = join(dir, 'dist/widget');
  const [a] = builds(dir);
  const wasm = Buffer.concat([readFileSync(join(widget, a.wasm)), customSection('kefu-upgrade-test', 'B')]);
  const b = { wasm: `kefu-widget-${hash(wasm)}_bg.wasm` };
  const glue = Buffer.from(readFileSync(join(widget, a.glue), 'utf8').replaceAll(a.wasm, b.wasm) + '\n/* build B */\n');
  const css = Buffer.from(readFileSync(join(widget, a.css), 'utf8') + ':host{--kefu-build:B}\n');
  b.glue = `kefu-widget-${hash(glue)}.js`;
  b.css = `widget-${hash(css)}.css`;
  for (const [key, bytes] of [['glue', glue], ['wasm', wasm], ['css', css]]) {
    publishFile(join(widget, b[key]), bytes);
    publishFile(join(widget, PLAIN[key]), bytes);
  }
  const manifest = { builds: [b, ...builds(dir)].slice(0, 3) };
  writeFileSync(join(widget, 'builds.json'), JSON.stringify(manifest, null, 2));
  let loader = readFileSync(join(dir, 'dist/widget-loader.js'), 'utf8');
  for (const key of ['glue', 'wasm', 'css']) {
    if (loader.split(a[key]).length !== 2) throw new Error(`the loader names ${a[key]} not exactly once`);
    loader = loader.replace(a[key], b[key]);
  }
  publishFile(join(dir, 'dist/widget-loader.js'), Buffer.from(loader));
  return { a, b };
}

export function removeAssets(dir) {
  rmSync(dir, { recursive: true, force: true });
}
