// Two real server processes sharing one MariaDB database and Redis. MariaDB pass only (SQLite is
// one process by design); Redis must be there: an unreachable Redis fails this test, never skips it.
import { expect } from 'chai';
import mysql from 'mysql2/promise';
import { createClient } from 'redis';
import { createThrowawayDatabase, ThrowawayDatabase } from '../helpers/databases';
import { testDialect } from '../helpers/env';
import { connect, TestClient } from '../helpers/realtime';
import { startServerProcess, ServerProcess } from '../helpers/processes';
import { startSmtp, TestSmtp } from '../helpers/smtp';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

if (testDialect() === 'mariadb') {
  describe('many server processes (MariaDB + Redis)', () => {
    let database: ThrowawayDatabase;
    let smtp: TestSmtp;
    const processes: ServerProcess[] = [];
    const clients: TestClient[] = [];

    before(async function () {
      this.timeout(180000);
      const redis = createClient({ url: REDIS_URL, socket: { connectTimeout: 3000, reconnectStrategy: false } });
      redis.on('error', () => {});
      try {
        await redis.connect();
        expect(await redis.ping()).to.equal('PONG');
      } catch (err) {
        throw new Error(`Redis is NOT reachable at ${REDIS_URL} (${err instanceof Error ? err.message : err}): the many-process test cannot run. Start Redis (see README).`);
      } finally {
        if (redis.isOpen) await redis.quit();
      }
      database = await createThrowawayDatabase('mariadb', 'cluster');
      smtp = await startSmtp();
      const env = {
        DATABASE_URL: database.url, REDIS_URL, SMTP_URL: smtp.url, JWT_SECRET: 'cluster-test-secret-0123456789abcdef',
        // The safety-net poll is out of reach of this test: only the Redis fan-out can deliver in time.
        OUTBOX_POLL_MS: '600000',
        // So is the periodic session check: only the revocation carried through Redis closes sockets in time.
        SOCKET_SESSION_CHECK_MS: '600000',
      };
      // One after the other: the first migrates and seeds the empty database.
      processes.push(await startServerProcess(env));
      processes.push(await startServerProcess(env));
    });
    after(async function () {
      this.timeout(60000);
      for (const c of clients) c.close();
      for (const p of processes) await p.stop();
      await smtp?.close();
      await database?.drop();
    });

    it('delivers to a socket on the second process an event committed through the first', async function () {
      this.timeout(30000);
      const [first, second] = processes;
      const login = await fetch(`${first.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'officer', password: 'saraban-demo' }) });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const onSecond = await connect(second.url, { token: accessToken });
      clients.push(onSecond);
      const onFirst = await connect(first.url, { token: accessToken });
      clients.push(onFirst);
      const res = await fetch(`${first.url}/api/me/notifications/test`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } });
      expect(res.status).to.equal(202);
      await onSecond.waitFor((e) => e.length === 1, 10000);
      await onFirst.waitFor((e) => e.length === 1, 10000);
      expect(onSecond.events[0]).to.include({ type: 'notification.test' });
      expect(onSecond.events[0].id).to.equal(onFirst.events[0].id);
      expect(second.output()).to.include('across processes through Redis');
    });

    it('sends one e-mail per event although both processes run the mail worker', async function () {
      this.timeout(40000);
      const conn = await mysql.createConnection(database.url);
      try {
        await conn.query("UPDATE users SET email = 'officer@example.go.th' WHERE username = 'officer'");
        const [rows] = await conn.query("SELECT id, organisationId FROM users WHERE username = 'officer'");
        const { id: officer, organisationId } = (rows as Array<{ id: number; organisationId: number }>)[0];
        // As the workflow runtime would commit it (another writer, outside both processes), in the
        // officer's organisation: a task's name is mailed only inside its own organisation.
        await conn.query('INSERT INTO outbox_events (type, organisationId, subjectType, subjectId, audience, summary, createdAt) VALUES (?, ?, ?, ?, ?, ?, NOW(3))', [
          'task.assigned', organisationId, 'task', '77', JSON.stringify({ userIds: [officer] }), JSON.stringify({ title: 'งานเดียว ส่งครั้งเดียว' }),
        ]);
      } finally {
        await conn.end();
      }
      await smtp.waitFor(1, 20000);
      await new Promise((r) => setTimeout(r, 7000)); // both workers poll again (every 5 s)
      expect(smtp.messages.map((m) => m.subject)).to.deep.equal(['งานใหม่ถึงท่าน: งานเดียว ส่งครั้งเดียว']);
    });

    it('fires a workflow timer once although both processes run the job scheduler, and a task created through one is live on the other', async function () {
      this.timeout(60000);
      const [first, second] = processes;
      const token = async (username: string) => ((await (await fetch(`${first.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'saraban-demo' }) })).json()) as { accessToken: string }).accessToken;
      const post = (url: string, tok: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tok}` }, body: JSON.stringify(body) });
      const [designer, clerk] = [await token('designer'), await token('clerk')];
      const onSecond = await connect(second.url, { token: clerk });
      clients.push(onSecond);
      const xml = `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
        <bpmn:process id="cluster_timer" isExecutable="true"><bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="pause" />
        <bpmn:intermediateCatchEvent id="pause"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        <bpmn:sequenceFlow id="f1" sourceRef="pause" targetRef="after" /><bpmn:userTask id="after" camunda:candidateGroups="registry_clerk" /></bpmn:process></bpmn:definitions>`;
      expect((await post(`${first.url}/api/workflow/definitions`, designer, { xml })).status).to.equal(201);
      const ids: number[] = [];
      for (let i = 0; i < 6; i++) ids.push(((await (await post(`${first.url}/api/workflow/instances`, clerk, { processKey: 'cluster_timer' })).json()) as { instance: { id: number } }).instance.id);
      await onSecond.waitFor((events) => ids.every((id) => events.some((e) => e.type === 'task.created' && Number(e.summary.instanceId) === id)), 20000);
      await new Promise((r) => setTimeout(r, 3000)); // both schedulers poll again
      const conn = await mysql.createConnection(database.url);
      try {
        const [rows] = await conn.query(`SELECT instanceId, COUNT(*) AS n FROM tasks WHERE elementId = 'after' AND instanceId IN (${ids.join(',')}) GROUP BY instanceId`);
        expect((rows as Array<{ n: number }>).map((r) => Number(r.n))).to.deep.equal(ids.map(() => 1));
        const [fired] = await conn.query(`SELECT COUNT(*) AS n FROM workflow_history WHERE event = 'activity.end' AND elementId = 'pause' AND instanceId IN (${ids.join(',')})`);
        expect(Number((fired as Array<{ n: number }>)[0].n)).to.equal(ids.length);
      } finally {
        await conn.end();
      }
    });

    it('closes, at once, the sockets on both processes of a user who logs out everywhere through the first', async function () {
      this.timeout(30000);
      const [first, second] = processes;
      const login = await fetch(`${first.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sectionhead', password: 'saraban-demo' }) });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const sockets = [await connect(second.url, { token: accessToken }), await connect(first.url, { token: accessToken })];
      clients.push(...sockets);
      const reasons = sockets.map((c) => new Promise<string>((resolve) => c.socket.once('disconnect', resolve)));
      const res = await fetch(`${first.url}/api/auth/logout`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` }, body: JSON.stringify({ everywhere: true }) });
      expect(res.status).to.equal(204);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('a socket was still open 5 s after the logout')), 5000)));
      try {
        expect(await Promise.race([Promise.all(reasons), late])).to.deep.equal(['io server disconnect', 'io server disconnect']);
      } finally {
        clearTimeout(timer);
      }
      // The second process forgot the actor it kept: the old token is refused there at once.
      const refused = await connect(second.url, { token: accessToken }).then((c) => (c.close(), null), (err: Error & { data?: { code?: string } }) => err.data?.code);
      expect(refused).to.equal('token_revoked');
    });
  });
}
