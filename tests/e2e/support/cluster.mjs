// Two kefu-server nodes sharing one fresh PostgreSQL database and the NATS server
// (`KEFU_TEST_POSTGRES`, `KEFU_TEST_NATS`: `cargo xtask test` provides both), and a
// load balancer in front of them: a TCP proxy that sends each new connection to the
// first node that accepts it, so when that node dies, reconnects land on the next.
// Knows nothing about the widget or the console.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect, createServer } from 'node:net';
import { startServer, freePort, tempDataDir, cleanup } from './server.mjs';

/** What every node of the test cluster shares (required once a bus is set). */
const SECRET = 'a secret every node of the e2e cluster shares';

function services() {
  const postgres = process.env.KEFU_TEST_POSTGRES;
  const nats = process.env.KEFU_TEST_NATS;
  if (!postgres || !nats) {
    throw new Error('the cluster test needs PostgreSQL and NATS: run `cargo xtask test`, or set '
      + 'KEFU_TEST_POSTGRES (postgres://user@host:port/db) and KEFU_TEST_NATS (nats://host:port)');
  }
  return { postgres, nats };
}

function psql(url, sql) {
  execFileSync('psql', [url, '-Atqc', sql], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * Start `count` nodes, one after another, on a fresh database (dropped after the
 * test) and the test NATS server. Returns their `startServer` handles.
 */
export async function startCluster(t, count = 2) {
  const { postgres, nats } = services();
  // Named like the Rust tests' databases: `cargo xtask test` gives each run its
  // own prefix and drops that run's databases (and any a crashed run left).
  const prefix = process.env.KEFU_TEST_DB_PREFIX ?? 'kefu_t_';
  const name = `${prefix}e2e_${randomUUID().replaceAll('-', '')}`;
  psql(postgres, `CREATE DATABASE ${name}`);
  const database = new URL(postgres);
  database.pathname = `/${name}`;
  const env = {
    DATABASE_URL: database.toString(),
    KEFU_NATS_URL: nats,
    KEFU_SECRET: SECRET,
  };
  const dirs = [];
  const nodes = [];
  t.after(async () => {
    for (const node of nodes) await node.stop();
    for (const dir of dirs) cleanup(dir);
    psql(postgres, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  for (let i = 0; i < count; i += 1) {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    nodes.push(await startServer({ port: await freePort(), dataDir, env }));
  }
  return nodes;
}

/** SIGKILL a node (no graceful close: its sockets just die) and wait for the exit. */
export async function killNode(node) {
  const exited = new Promise((resolve) => node.proc.once('exit', (code, signal) => resolve({ code, signal })));
  node.proc.kill('SIGKILL');
  return exited;
}

/**
 * A load balancer on a free port in front of `upstreams` (base URLs, in order of
 * preference): each new connection goes to the first one that accepts it; when an
 * upstream connection ends, so does the client's. `served()` counts connections per
 * upstream URL. Returns { url, served(), close() }.
 */
export async function startBalancer(t, upstreams) {
  const targets = upstreams.map((u) => ({ url: u, port: Number(new URL(u).port), count: 0 }));
  const sockets = new Set();
  const track = (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const proxy = createServer((client) => {
    track(client);
    client.pause();
    client.on('error', () => client.destroy());
    const attempt = (i) => {
      if (i >= targets.length || client.destroyed) {
        client.destroy();
        return;
      }
      const up = connect(targets[i].port, '127.0.0.1');
      let connected = false;
      up.once('connect', () => {
        connected = true;
        targets[i].count += 1;
        track(up);
        up.on('close', () => client.destroy());
        client.on('close', () => up.destroy());
        up.pipe(client);
        client.pipe(up);
        client.resume();
      });
      up.on('error', () => {
        if (connected) up.destroy();
        else attempt(i + 1);
      });
    };
    attempt(0);
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const close = () => new Promise((resolve) => {
    for (const s of sockets) s.destroy();
    proxy.close(resolve);
  });
  t.after(close);
  return {
    url: `http://127.0.0.1:${proxy.address().port}`,
    served: () => Object.fromEntries(targets.map((x) => [x.url, x.count])),
    close,
  };
}
