// A real SMTP server for the end-to-end tests: Python's aiosmtpd with the
// handler the server's mail tests use (tests/smtp/kefu_sink.py), each message
// a JSON file in a temp dir. The Python is KEFU_TEST_PYTHON (`cargo xtask test`
// passes the venv `cargo xtask setup` makes), else `python3`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './server.mjs';

const HANDLER_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../smtp');

/** Whether something answers on 127.0.0.1:`port` with an SMTP greeting. */
function greets(port) {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.setTimeout(1000);
    s.once('data', (d) => { s.destroy(); resolve(d.toString().startsWith('220')); });
    s.once('error', () => resolve(false));
    s.once('timeout', () => { s.destroy(); resolve(false); });
  });
}

/** Start the SMTP server; stopped and removed after the test `t`. */
export async function startSmtp(t) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'kefu-smtp-'));
  mkdirSync(join(dir, 'messages'));
  const python = process.env.KEFU_TEST_PYTHON ?? 'python3';
  let log = '';
  const proc = spawn(python, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'kefu_sink.Sink',
    join(dir, 'messages')], {
    env: { ...process.env, PYTHONPATH: HANDLER_DIR, PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  t.after(() => { proc.kill(); rmSync(dir, { recursive: true, force: true }); });
  const deadline = Date.now() + 15_000;
  while (!(await greets(port))) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the SMTP server (${python} -m aiosmtpd) did not start: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const received = () => readdirSync(join(dir, 'messages'))
    .filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(readFileSync(join(dir, 'messages', f), 'utf8')));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** The mails to `to` once there are `n` of them (fails after 15 s). */
    async mailsTo(to, n = 1) {
      const until = Date.now() + 15_000;
      for (;;) {
        const got = received().filter((m) => m.rcptTos.includes(to));
        if (got.length >= n) return got;
        if (Date.now() > until) throw new Error(`${n} mail(s) to ${to} expected, got ${JSON.stringify(received())}\n${log}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
