// SERVER_PROCESSES: one port served by several server processes of a node:cluster primary, on one
// MariaDB, without Redis (the processes nudge each other through the primary). The real server is
// started as `npm start` starts it; the cluster part is a MariaDB pass only, as SQLite is refused.
import { expect } from 'chai';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createThrowawayDatabase, ThrowawayDatabase } from '../helpers/databases';
import { testDialect } from '../helpers/env';
import { connect, TestClient } from '../helpers/realtime';
import { call, freePort, startServer, stopServer, RunningServer } from '../helpers/server';
import { threeStepXml } from '../helpers/workflow';

const JWT_SECRET = 'server-processes-test-secret-0123456789';

/** The server processes the primary started (its children). */
function childrenOf(pid: number): number[] {
  const text = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text ? text.split(/\s+/).map(Number) : [];
}

/** One request on a connection of its own: the primary hands each connection to a process in turn. */
function fresh(base: string, method: string, route: string, token: string, body?: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${route}`, { method, agent: false, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('several server processes on one port (SERVER_PROCESSES)', () => {
  it('refuses to start them on SQLite, saying why', async function () {
    this.timeout(120000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'saraban-procs-'));
    try {
      const refused = await startServer({ DATABASE_URL: `sqlite:${path.join(dir, 'saraban.sqlite')}`, DATA_DIR: dir, SERVER_PROCESSES: '2', JWT_SECRET }, await freePort()).then(
        async (server) => {
          await stopServer(server.child);
          return null;
        },
        (err: Error) => err.message,
      );
      expect(refused).to.match(/SERVER_PROCESSES above 1 needs MariaDB/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  if (testDialect() !== 'mariadb') return;

  let database: ThrowawayDatabase;
  let server: RunningServer;
  const clients: TestClient[] = [];

  before(async function () {
    this.timeout(180000);
    database = await createThrowawayDatabase('mariadb', 'procs');
    // The safety-net poll is out of reach: only the processes' nudges through the primary deliver in time.
    // So is the periodic session check: only a revocation carried through the primary closes sockets in time.
    server = await startServer({ DATABASE_URL: database.url, SERVER_PROCESSES: '2', JWT_SECRET, OUTBOX_POLL_MS: '600000', SOCKET_SESSION_CHECK_MS: '600000' }, await freePort());
  });
  after(async function () {
    this.timeout(60000);
    for (const c of clients) c.close();
    if (server) await stopServer(server.child);
    await database?.drop();
  });

  it('serves from both processes, and a socket on one hears at once of work done on the other', async function () {
    this.timeout(60000);
    expect(server.output()).to.contain('2 server processes');
    expect(childrenOf(server.child.pid!)).to.have.length(2);
    const designer = (await call(server.base, 'POST', '/auth/login', undefined, { username: 'designer', password: 'saraban-demo' })).body.accessToken as string;
    expect((await call(server.base, 'POST', '/workflow/definitions', designer, { xml: threeStepXml('procs_flow', 'registry_clerk') })).status).to.equal(201);
    const clerk = (await call(server.base, 'POST', '/auth/login', undefined, { username: 'clerk', password: 'saraban-demo' })).body.accessToken as string;
    const socket = await connect(server.base.replace(/\/api$/, ''), { token: clerk });
    clients.push(socket);

    // Four starts on connections of their own: the primary deals them out in turn, so some are
    // served by the other process. Each event must arrive before the next start (a later commit on
    // the socket's own process would otherwise carry it along).
    for (let i = 0; i < 4; i++) {
      const started = await fresh(server.base, 'POST', '/workflow/instances', clerk, { processKey: 'procs_flow' });
      expect(started.status, JSON.stringify(started.body)).to.equal(201);
      const taskId = String(started.body.tasks[0].id);
      await socket.waitFor((events) => events.some((e) => e.type === 'task.created' && e.subject.id === taskId), 5000);
    }
  });

  it('closes at once the sockets, on both processes, of a user who logs out everywhere', async function () {
    this.timeout(60000);
    const officer = (await call(server.base, 'POST', '/auth/login', undefined, { username: 'officer', password: 'saraban-demo' })).body.accessToken as string;
    // Four sockets: the primary deals the connections out in turn, so both processes hold some.
    const sockets: TestClient[] = [];
    for (let i = 0; i < 4; i++) sockets.push(await connect(server.base.replace(/\/api$/, ''), { token: officer }));
    clients.push(...sockets);
    const reasons = sockets.map((c) => new Promise<string>((resolve) => c.socket.once('disconnect', resolve)));
    expect((await fresh(server.base, 'POST', '/auth/logout', officer, { everywhere: true })).status).to.equal(204);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('a socket was still open 5 s after the logout')), 5000)));
    try {
      expect(await Promise.race([Promise.all(reasons), late])).to.deep.equal(Array(4).fill('io server disconnect'));
    } finally {
      clearTimeout(timer);
    }
  });

  it('starts another server process when one dies, and goes on serving', async function () {
    this.timeout(60000);
    const [victim, survivor] = childrenOf(server.child.pid!);
    process.kill(victim, 'SIGKILL');
    await until('a new server process', () => {
      const now = childrenOf(server.child.pid!);
      return now.length === 2 && now.includes(survivor) && !now.includes(victim);
    });
    for (let i = 0; i < 4; i++) expect((await fresh(server.base, 'GET', '/health', '')).status).to.equal(200);
    expect(server.output()).to.match(/server process \d+ ended \(SIGKILL\); starting another/);
  });
});
