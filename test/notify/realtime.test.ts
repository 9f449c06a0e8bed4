// Live updates: Socket.io on a real loopback server, events committed through recordEvent.
import { expect } from 'chai';
import http from 'node:http';
import jwt from 'jsonwebtoken';
import { Delegation, Group, Organisation, User } from '../../server/db/models';
import { attachRealtime, Realtime } from '../../server/modules/notify/realtime';
import { recordEvent } from '../../server/modules/events/outbox';
import { issueRefreshToken } from '../../server/modules/auth/tokens';
import { buildOrganisation, buildPosition, buildUnit, buildUser } from '../helpers/factories';
import { commitEvent, connect, expiredTokenFor, listen, TestClient, tokenFor } from '../helpers/realtime';
import { testEnv } from '../helpers/env';

describe('live updates over Socket.io', () => {
  let org: Organisation;
  let other: Organisation;
  let server: http.Server;
  let realtime: Realtime;
  let url: string;
  const clients: TestClient[] = [];
  const open = async (auth: Record<string, unknown>) => {
    const c = await connect(url, auth);
    clients.push(c);
    return c;
  };
  const start = async () => {
    server = http.createServer();
    realtime = await attachRealtime(server, testEnv().ctx, { pollMs: 100, gapGraceMs: 200 });
    url = await listen(server);
  };

  before(async () => {
    org = await buildOrganisation();
    other = await buildOrganisation();
    await start();
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  after(async () => {
    await realtime.close();
  });

  async function refusal(auth: Record<string, unknown>): Promise<{ message: string; code?: string }> {
    try {
      const c = await open(auth);
      c.close();
    } catch (err) {
      const e = err as Error & { data?: { code?: string } };
      return { message: e.message, code: e.data?.code };
    }
    throw new Error('the connection was accepted');
  }

  it('refuses a handshake without a token, with a tampered or expired token, and after the session was revoked', async () => {
    const user = await buildUser(org.id);
    expect((await refusal({})).code).to.equal('unauthorized');
    const token = await tokenFor(user);
    const [head, body, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), sub: '1' })).toString('base64url');
    expect((await refusal({ token: `${head}.${forged}.${sig}` })).code).to.equal('invalid_token');
    expect((await refusal({ token: expiredTokenFor(user) })).code).to.equal('token_expired');
    (await open({ token })).close();
    await User.update({ tokenVersion: user.tokenVersion + 1 }, { where: { id: user.id } });
    expect((await refusal({ token })).code).to.equal('token_revoked');
  });

  it('ends a socket when its access token expires (the client reconnects with a fresh token)', async () => {
    const user = await buildUser(org.id);
    const now = Math.floor(Date.now() / 1000);
    const { sessionId } = await issueRefreshToken(testEnv().ctx.tokens, user.id);
    const shortLived = jwt.sign({ sub: String(user.id), org: user.organisationId, tv: user.tokenVersion, sid: sessionId, iat: now, exp: now + 2 }, testEnv().ctx.tokens.secret, { algorithm: 'HS256', issuer: 'saraban' });
    const socket = await open({ token: shortLived });
    const reason = await new Promise<string>((resolve) => socket.socket.once('disconnect', resolve));
    expect(reason).to.equal('io server disconnect');
  });

  it('delivers an event to the user, group, unit and position rooms it names, and to no one else', async () => {
    const unit = await buildUnit(org.id);
    const position = await buildPosition(org.id);
    const actingPosition = await buildPosition(org.id);
    const named = await buildUser(org.id);
    const inGroup = await buildUser(org.id, { roles: ['registry_clerk'] });
    const inUnit = await buildUser(org.id, { unitId: unit.id });
    const holder = await buildUser(org.id, { positionId: position.id });
    const acting = await buildUser(org.id);
    await Delegation.create({ organisationId: org.id, principalPositionId: actingPosition.id, delegateUserId: acting.id, capacity: 'acting_for', startsAt: new Date(Date.now() - 60000), endsAt: null, orderNumber: 'คำสั่ง 1/2569' });
    const bystander = await buildUser(org.id);
    const outsider = await buildUser(other.id, { roles: ['registry_clerk', 'executive'] });
    const clerks = await Group.findOne({ where: { organisationId: org.id, key: 'registry_clerk' } });

    const sockets = await Promise.all([named, inGroup, inUnit, holder, acting, bystander, outsider].map(async (u) => open({ token: await tokenFor(u) })));
    const [sNamed, sGroup, sUnit, sHolder, sActing, sBystander, sOutsider] = sockets;
    const ids = {
      user: await commitEvent({ organisationId: org.id, audience: { userIds: [named.id] }, summary: { title: 'ถึงคุณ', urgency: 2 } }),
      group: await commitEvent({ organisationId: org.id, audience: { groupIds: [clerks!.id] } }),
      unit: await commitEvent({ organisationId: org.id, audience: { unitIds: [unit.id] } }),
      position: await commitEvent({ organisationId: org.id, audience: { positionIds: [position.id] } }),
      acting: await commitEvent({ organisationId: org.id, audience: { positionIds: [actingPosition.id] } }),
    };
    // A last event to every socket: once it has arrived, nothing earlier is still on its way.
    const fence = await commitEvent({ organisationId: org.id, type: 'fence', audience: { userIds: [named, inGroup, inUnit, holder, acting, bystander, outsider].map((u) => u.id) } });
    await Promise.all(sockets.map((s) => s.waitFor((e) => e.some((x) => x.id === fence))));

    expect(sNamed.ids()).to.deep.equal([ids.user, fence]);
    expect(sGroup.ids()).to.deep.equal([ids.group, fence]);
    expect(sUnit.ids()).to.deep.equal([ids.unit, fence]);
    expect(sHolder.ids()).to.deep.equal([ids.position, fence]);
    expect(sActing.ids()).to.deep.equal([ids.acting, fence]);
    expect(sBystander.ids()).to.deep.equal([fence]);
    expect(sOutsider.ids()).to.deep.equal([fence]);
    const first = sNamed.events[0];
    expect(first).to.include({ id: ids.user, type: 'task.created', organisationId: org.id });
    expect(first.subject).to.deep.equal({ type: 'task', id: '1' });
    expect(first.summary, 'ids and plain facts, no text (rooms.ts)').to.deep.equal({ urgency: 2 });
  });

  it("sends process monitor events to the organisation's executives, administrators and designers only", async () => {
    const executive = await buildUser(org.id, { roles: ['executive'] });
    const designer = await buildUser(org.id, { roles: ['process_designer'] });
    const staff = await buildUser(org.id, { roles: ['staff'] });
    const foreignExecutive = await buildUser(other.id, { roles: ['executive'] });
    const sockets = await Promise.all([executive, designer, staff, foreignExecutive].map(async (u) => open({ token: await tokenFor(u) })));
    const monitor = await commitEvent({ organisationId: org.id, type: 'monitor.changed', subject: { type: 'process', id: 'incoming-letter' }, audience: { processKeys: ['incoming-letter'] } });
    const fence = await commitEvent({ organisationId: org.id, type: 'fence', audience: { userIds: [executive, designer, staff, foreignExecutive].map((u) => u.id) } });
    await Promise.all(sockets.map((s) => s.waitFor((e) => e.some((x) => x.id === fence))));
    expect(sockets.map((s) => s.ids())).to.deep.equal([[monitor, fence], [monitor, fence], [fence], [fence]]);
    expect(sockets[0].events[0].processKeys).to.deep.equal(['incoming-letter']);
  });

  it('never pushes an event whose transaction rolled back, and pushes only after commit', async () => {
    const user = await buildUser(org.id);
    const socket = await open({ token: await tokenFor(user) });
    const { sequelize } = testEnv().ctx.db;
    await sequelize
      .transaction(async (t) => {
        await recordEvent(t, { type: 'task.created', organisationId: org.id, subject: { type: 'task', id: 99 }, audience: { userIds: [user.id] }, summary: {} });
        throw new Error('roll back');
      })
      .catch(() => {});
    let beforeCommit = -1;
    const committed = await sequelize.transaction(async (t) => {
      await recordEvent(t, { type: 'task.assigned', organisationId: org.id, subject: { type: 'task', id: 100 }, audience: { userIds: [user.id] }, summary: {} });
      await new Promise((r) => setTimeout(r, 300)); // several polls happen while uncommitted
      beforeCommit = socket.events.length;
      return 100;
    });
    await socket.waitFor((e) => e.length > 0);
    expect(beforeCommit).to.equal(0);
    expect(socket.events.map((e) => [e.type, e.subject.id])).to.deep.equal([['task.assigned', String(committed)]]);
  });

  it('replays what a reconnecting client missed, in order, from the last id it saw (handshake or resume message)', async () => {
    const user = await buildUser(org.id);
    const token = await tokenFor(user);
    const first = await open({ token });
    const a = await commitEvent({ organisationId: org.id, audience: { userIds: [user.id] } });
    await first.waitFor((e) => e.length === 1);
    first.close();
    const missed = [];
    for (let i = 0; i < 5; i++) missed.push(await commitEvent({ organisationId: org.id, audience: { userIds: [user.id] }, summary: { n: i } }));
    await commitEvent({ organisationId: org.id, audience: { userIds: [user.id + 100000] } }); // someone else's
    const again = await open({ token, lastEventId: a });
    await again.waitFor((e) => e.length === 5);
    const live = await commitEvent({ organisationId: org.id, audience: { userIds: [user.id] } });
    await again.waitFor((e) => e.length === 6);
    expect(again.ids()).to.deep.equal([...missed, live]);

    // The explicit message: replays after the given id and acknowledges.
    const reply = await again.socket.timeout(5000).emitWithAck('resume', { lastEventId: missed[2] });
    expect(reply).to.deep.equal({ ok: true });
    expect(again.ids().slice(6)).to.deep.equal([missed[3], missed[4], live]);
    expect(await again.socket.timeout(5000).emitWithAck('resume', { lastEventId: 'yesterday' })).to.include({ ok: false });
  });

  it('waits for a slow transaction that took an earlier id, then delivers both in id order', async () => {
    const user = await buildUser(org.id);
    const socket = await open({ token: await tokenFor(user) });
    const { sequelize } = testEnv().ctx.db;
    let slowId = 0;
    let inserted!: () => void;
    const insertedNow = new Promise<void>((resolve) => (inserted = resolve));
    const slow = sequelize.transaction(async (t) => {
      await recordEvent(t, { type: 'task.created', organisationId: org.id, subject: { type: 'task', id: 1 }, audience: { userIds: [user.id] }, summary: { slow: true } });
      slowId = Number((await sequelize.query('SELECT MAX(id) AS id FROM outbox_events', { plain: true, transaction: t }))!.id);
      inserted();
      await new Promise((r) => setTimeout(r, 1500)); // far beyond the 200 ms grace
    });
    // On SQLite the second transaction waits its turn; on MariaDB it commits first, with a later id.
    await Promise.race([insertedNow, slow]);
    const fast = await commitEvent({ organisationId: org.id, audience: { userIds: [user.id] }, summary: { slow: false } });
    await slow;
    await socket.waitFor((e) => e.length === 2);
    expect(fast).to.be.greaterThan(slowId);
    expect(socket.ids()).to.deep.equal([slowId, fast]);
  });

  it('stamps events to the millisecond on every database (latency and gap waits depend on it)', async () => {
    const user = await buildUser(org.id);
    const socket = await open({ token: await tokenFor(user) });
    const before = Date.now();
    await commitEvent({ organisationId: org.id, audience: { userIds: [user.id] } });
    await socket.waitFor((e) => e.length === 1);
    const at = new Date((socket.events[0] as unknown as { at: string }).at).getTime();
    expect(at).to.be.at.least(before).and.at.most(Date.now());
  });

  it('tells a client too far behind to re-read through the API (resync) instead of replaying a long history', async () => {
    const small = http.createServer();
    const limited = await attachRealtime(small, testEnv().ctx, { pollMs: 100, replayScanLimit: 2 });
    try {
      const smallUrl = await listen(small);
      const user = await buildUser(org.id);
      const from = await commitEvent({ organisationId: org.id, audience: { userIds: [user.id] } });
      for (let i = 0; i < 3; i++) await commitEvent({ organisationId: org.id, audience: { userIds: [user.id] } });
      await limited.flush();
      const client = await connect(smallUrl, { token: await tokenFor(user), lastEventId: from });
      clients.push(client);
      // The resync covers everything up to the loop's cursor: an event committed before the
      // replay runs is the API's to show, so the live one is sent once the socket has its answer.
      for (const started = Date.now(); !client.resyncs.length && Date.now() - started < 5000; ) await new Promise((r) => setTimeout(r, 10));
      const live = await commitEvent({ organisationId: org.id, audience: { userIds: [user.id] } });
      await client.waitFor((e) => e.length === 1);
      expect(client.ids()).to.deep.equal([live]);
      expect(client.resyncs.map((r) => r.reason)).to.deep.equal(['too_far_behind']);
    } finally {
      await limited.close();
    }
  });

  it('replays across a server restart', async () => {
    const user = await buildUser(org.id);
    const token = await tokenFor(user);
    const before = await open({ token });
    const seen = await commitEvent({ organisationId: org.id, audience: { userIds: [user.id] } });
    await before.waitFor((e) => e.length === 1);
    await realtime.close();
    const whileDown = [
      await commitEvent({ organisationId: org.id, audience: { userIds: [user.id] } }),
      await commitEvent({ organisationId: org.id, audience: { userIds: [user.id] } }),
    ];
    await start();
    const after = await open({ token, lastEventId: seen });
    await after.waitFor((e) => e.length === 2);
    expect(after.ids()).to.deep.equal(whileDown);
  });
});
