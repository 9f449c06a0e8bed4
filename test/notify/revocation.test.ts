// Revocation reaches live sockets: a disabled account, a logout everywhere and a password change
// close the user's open Socket.io connections at once (not when the access token expires, up to
// 15 minutes later), and a revocation no signal announced is caught by the periodic session check.
import { expect } from 'chai';
import http from 'node:http';
import { Organisation, User } from '../../server/db/models';
import { attachRealtime, Realtime } from '../../server/modules/notify/realtime';
import { api, buildOrganisation, buildUnit, buildUser, login, DEMO_PASSWORD } from '../helpers/factories';
import { commitEvent, connect, listen, TestClient } from '../helpers/realtime';
import { testEnv } from '../helpers/env';

const reasons = new WeakMap<TestClient, Promise<string>>();
/** Keeps the reason the socket is closed with, from the moment it is open. */
function watched(client: TestClient): TestClient {
  reasons.set(client, new Promise((resolve) => client.socket.once('disconnect', resolve)));
  return client;
}

/** The reason the server closed the socket with, or a failure when it is still open `ms` after the revocation (the bound: 5 s). */
function disconnected(client: TestClient, ms = 5000): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((_, reject) => (timer = setTimeout(() => reject(new Error(`still connected ${ms} ms after the revocation`)), ms)));
  return Promise.race([reasons.get(client)!, late]).finally(() => clearTimeout(timer));
}

async function refusalCode(url: string, token: string): Promise<string | undefined> {
  try {
    (await connect(url, { token })).close();
  } catch (err) {
    return (err as Error & { data?: { code?: string } }).data?.code;
  }
  throw new Error('the connection was accepted');
}

describe('revocation reaches live sockets', () => {
  let org: Organisation;
  let server: http.Server;
  let realtime: Realtime;
  let url: string;
  const clients: TestClient[] = [];
  const open = async (token: string) => {
    const c = watched(await connect(url, { token }));
    clients.push(c);
    return c;
  };

  before(async () => {
    org = await buildOrganisation();
    server = http.createServer();
    // The periodic check is out of reach here: only the revocation's own signal can close the sockets in time.
    realtime = await attachRealtime(server, testEnv().ctx, { pollMs: 100, gapGraceMs: 200, sessionCheckMs: 600_000 });
    url = await listen(server);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  after(async () => {
    await realtime.close();
  });

  /** A user with a live socket in a unit, and a colleague of the same unit whose socket stays open. */
  async function twoInAUnit() {
    const unit = await buildUnit(org.id);
    const user = await buildUser(org.id, { unitId: unit.id });
    const colleague = await buildUser(org.id, { unitId: unit.id });
    const session = await login(user.username);
    const client = await open(session.accessToken);
    const witness = await open((await login(colleague.username)).accessToken);
    return { unit, user, colleague, session, client, witness };
  }

  /** After the revocation: the socket is closed, gets neither letter.received nor task.created, and its token is refused. */
  async function expectClosed(setup: Awaited<ReturnType<typeof twoInAUnit>>, token: string) {
    const { unit, user, colleague, client, witness } = setup;
    expect(await disconnected(client)).to.equal('io server disconnect');
    const letter = await commitEvent({ type: 'letter.received', organisationId: org.id, subject: { type: 'document', id: 1 }, audience: { unitIds: [unit.id] } });
    const task = await commitEvent({ type: 'task.created', organisationId: org.id, subject: { type: 'task', id: 1 }, audience: { userIds: [user.id, colleague.id] } });
    // The colleague's socket got both: they were delivered, and not to the revoked socket.
    await witness.waitFor((e) => e.some((x) => x.id === letter) && e.some((x) => x.id === task));
    expect(client.events.map((e) => e.type)).to.deep.equal([]);
    expect(await refusalCode(url, token)).to.be.oneOf(['token_revoked', 'account_inactive', 'session_ended']);
  }

  it('closes a disabled user\'s open socket at once', async function () {
    this.timeout(20000);
    const setup = await twoInAUnit();
    const admin = await login((await buildUser(org.id, { roles: ['system_admin', 'staff'] })).username);
    const res = await api().patch(`/api/users/${setup.user.id}`).set(admin.auth).send({ active: false });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    await expectClosed(setup, setup.session.accessToken);
  });

  it('closes every open socket of a user who logs out everywhere', async function () {
    this.timeout(20000);
    const setup = await twoInAUnit();
    const second = await open((await login(setup.user.username)).accessToken);
    const res = await api().post('/api/auth/logout').set(setup.session.auth).send({ everywhere: true });
    expect(res.status, JSON.stringify(res.body)).to.equal(204);
    expect(await disconnected(second)).to.equal('io server disconnect');
    await expectClosed(setup, setup.session.accessToken);
  });

  it('closes the socket of a session that signs out (plain logout); the same user\'s other session stays open', async function () {
    this.timeout(20000);
    const setup = await twoInAUnit();
    const other = await open((await login(setup.user.username)).accessToken);
    const res = await api().post('/api/auth/logout').set(setup.session.auth).send({ refreshToken: setup.session.refreshToken });
    expect(res.status, JSON.stringify(res.body)).to.equal(204);
    await expectClosed(setup, setup.session.accessToken);
    expect(other.socket.connected).to.equal(true);
  });

  it('closes the open sockets of a user who changes their password; the new token connects', async function () {
    this.timeout(20000);
    const setup = await twoInAUnit();
    const res = await api().post('/api/auth/password').set(setup.session.auth).send({ currentPassword: DEMO_PASSWORD, newPassword: 'a-new-password-0123' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    await expectClosed(setup, setup.session.accessToken);
    (await open(res.body.accessToken)).close();
  });

  it('closes, by its periodic check, a socket whose session ended without a signal (another process without Redis, or by hand)', async function () {
    this.timeout(20000);
    const checking = http.createServer();
    const checked = await attachRealtime(checking, testEnv().ctx, { pollMs: 100, gapGraceMs: 200, sessionCheckMs: 200 });
    try {
      const checkedUrl = await listen(checking);
      const user = await buildUser(org.id);
      const client = watched(await connect(checkedUrl, { token: (await login(user.username)).accessToken }));
      clients.push(client);
      const stillOpen = await connect(checkedUrl, { token: (await login((await buildUser(org.id)).username)).accessToken });
      clients.push(stillOpen);
      // Written straight to the table: no model hook, no signal.
      await User.sequelize!.query('UPDATE users SET tokenVersion = tokenVersion + 1 WHERE id = :id', { replacements: { id: user.id } });
      expect(await disconnected(client)).to.equal('io server disconnect');
      expect(stillOpen.socket.connected).to.equal(true);
    } finally {
      await checked.close();
    }
  });
});
