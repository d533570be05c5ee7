// Starts and stops the real kefu-server binary on 127.0.0.1 with a free port and a
// fresh SQLite data directory; knows nothing about the widget or the browser.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ADMIN_TOKEN = 'e2e-admin-token';
export const DEMO_PASSWORD = 'e2e-demo-password';

const BIN = process.env.KEFU_SERVER_BIN;
const ASSETS = process.env.KEFU_ASSETS_DIR;
if (!BIN || !ASSETS) throw new Error('KEFU_SERVER_BIN and KEFU_ASSETS_DIR must be set (cargo xtask test sets them)');

/** A port the kernel just handed out and released: free for the server to bind. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh data directory, removed by `cleanup()`. */
export function tempDataDir() {
  return mkdtempSync(join(tmpdir(), 'kefu-e2e-'));
}

/**
 * Start `kefu-server serve --demo` and resolve once it prints its listening line.
 * Returns { url, port, proc, stop(), output() }.
 */
export async function startServer({ port, dataDir, env = {} }) {
  const proc = spawn(BIN, ['serve', '--demo', '--listen', `127.0.0.1:${port}`], {
    env: {
      ...process.env,
      KEFU_DATA_DIR: dataDir,
      KEFU_ASSETS_DIR: ASSETS,
      KEFU_ADMIN_TOKEN: ADMIN_TOKEN,
      KEFU_DEMO_PASSWORD: DEMO_PASSWORD,
      RUST_LOG: process.env.RUST_LOG ?? 'kefu_server=info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${out}\n${log}`)), 30_000);
    proc.stdout.on('data', (d) => {
      out += d;
      log += d;
      const m = out.match(/kefu-server listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${log}`)); });
  });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    url,
    port,
    proc,
    output: () => log,
    /** SIGTERM, then wait for a graceful exit (SIGKILL after 10 s). */
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return exited;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

export function cleanup(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/** Call the admin API with the test admin token; resolves with the JSON answer. */
export async function admin(baseUrl, method, path, body) {
  const res = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
