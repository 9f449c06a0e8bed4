// The outbox is a delivery log: old rows go, but never one a consumer still needs.
import { expect } from 'chai';
import { Op } from 'sequelize';
import { MailDigestItem, MailMessage, OutboxCursor, OutboxEvent } from '../../server/db/models';
import { pruneOutbox, recordEvents } from '../../server/modules/events/outbox';
import { buildOrganisation, buildUser } from '../helpers/factories';
import { testEnv } from '../helpers/env';

describe('outbox retention', () => {
  let saved: Array<{ name: string; lastEventId: number }> = [];

  before(async () => {
    saved = (await OutboxCursor.findAll()).map((c) => ({ name: c.name, lastEventId: c.lastEventId }));
  });
  after(async () => {
    // Put the durable consumers back where other suites expect them.
    await OutboxCursor.destroy({ where: { name: { [Op.in]: ['mail', 'digest'] } } });
    for (const c of saved) await OutboxCursor.create(c);
  });

  async function events(n: number): Promise<number[]> {
    const { sequelize } = testEnv().ctx.db;
    await sequelize.transaction((t) => recordEvents(t, Array.from({ length: n }, (_, i) => ({ type: 'test.retention', organisationId: null, subject: { type: 'test', id: i }, audience: {}, summary: {} }))));
    const rows = await OutboxEvent.findAll({ where: { type: 'test.retention' }, order: [['id', 'DESC']], limit: n, attributes: ['id'] });
    return rows.map((r) => Number(r.id)).reverse();
  }
  const age = (ids: number[], days: number) => OutboxEvent.update({ createdAt: new Date(Date.now() - days * 86_400_000) }, { where: { id: ids }, silent: true } as never);
  const present = async (ids: number[]) => (await OutboxEvent.findAll({ where: { id: ids }, attributes: ['id'] })).map((r) => Number(r.id)).sort((a, b) => a - b);
  const cursorsAt = async (id: number) => {
    for (const name of ['mail', 'digest']) await OutboxCursor.upsert({ name, lastEventId: id, updatedAt: new Date() });
  };

  it('removes old delivered events, keeps recent ones, unread ones and those a pending digest refers to', async () => {
    const [a, b, c, d] = await events(4);
    await age([a, b, c], 30);
    await cursorsAt(b); // c (old) and d (recent) are not yet read by the mail consumers
    const user = await buildUser((await buildOrganisation()).id);
    const digest = await MailDigestItem.create({ userId: user.id, eventId: b, mailId: null });

    await pruneOutbox(testEnv().ctx.db, 7);
    expect(await present([a, b, c, d])).to.deep.equal([b, c, d]);

    const mail = await MailMessage.create({ userId: user.id, eventId: null, kind: 'digest', toAddress: 'a@example.go.th', subject: 's', text: 't', status: 'sent', nextAttemptAt: new Date(), lockedUntil: null, lastError: null, sentAt: new Date() });
    await digest.update({ mailId: mail.id }); // the digest went out
    await pruneOutbox(testEnv().ctx.db, 7);
    expect(await present([a, b, c, d])).to.deep.equal([c, d]);

    await cursorsAt(d); // everything read: only the recent event stays
    const removed = await pruneOutbox(testEnv().ctx.db, 7, 1); // one row per batch: the loop goes on
    expect(removed).to.be.at.least(1);
    expect(await present([a, b, c, d])).to.deep.equal([d]);
  });
});
