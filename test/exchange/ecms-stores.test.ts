// The database-backed ECMS state (both databases): exactly-once claims with a lease a crashed
// process gives up, and the per-peer pickup queue; and the endpoint on them: a failed handler
// leaves the MessageID free for the sender's retry, a processed one is refused as a duplicate.
import { expect } from 'chai';
import express from 'express';
import { DbReplayStore, DbPickupQueue } from '../../server/modules/exchange/ecms/db-stores';
import { EcmsMessageId } from '../../server/db/models';
import { createEcmsRouter } from '../../server/modules/exchange/ecms/server';
import { EcmsClient, EcmsRefused } from '../../server/modules/exchange/ecms/client';
import { newMessageId } from '../../server/modules/exchange/ecms/envelope';
import { makeParty, listen, samplePdf } from './ecms-helpers';

describe('ECMS state in the database', function () {
  this.timeout(60000);
  const peer = () => `p${Math.floor(Math.random() * 1e9)}`;

  it('claims a MessageID once: in progress while leased, done after completion, free again after a release', async () => {
    const store = new DbReplayStore();
    const p = peer();
    const soon = new Date(Date.now() + 60_000);
    expect(await store.claim(p, 'mid://a', soon)).to.equal('claimed');
    expect(await store.claim(p, 'mid://a', soon)).to.equal('in_progress');
    expect(await store.claim(peer(), 'mid://a', soon), 'ids are per peer').to.equal('claimed');
    await store.release(p, 'mid://a');
    expect(await store.claim(p, 'mid://a', soon)).to.equal('claimed');
    await store.complete(p, 'mid://a', soon);
    expect(await store.claim(p, 'mid://a', soon)).to.equal('done');
    await store.release(p, 'mid://a');
    expect(await store.claim(p, 'mid://a', soon), 'a release never forgets a completed id').to.equal('done');
    expect(await store.claim(p, 'MID://A', soon), 'ids compare exactly').to.equal('claimed');
  });

  it('lets a retry take over the lease of a process that died while handling', async () => {
    const store = new DbReplayStore();
    const p = peer();
    expect(await store.claim(p, 'mid://b', new Date(Date.now() - 1000))).to.equal('claimed'); // lease already over: the claimant "died"
    expect(await store.claim(p, 'mid://b', new Date(Date.now() + 60_000))).to.equal('claimed');
    expect(await store.claim(p, 'mid://b', new Date(Date.now() + 60_000))).to.equal('in_progress');
  });

  it('forgets completed ids after their window', async () => {
    let now = new Date('2026-12-04T00:00:00Z');
    const store = new DbReplayStore(() => now);
    const p = peer();
    await store.claim(p, 'mid://c', new Date(now.getTime() + 1000));
    await store.complete(p, 'mid://c', new Date(now.getTime() + 5000));
    now = new Date(now.getTime() + 3600_000);
    await store.claim(p, 'mid://other', new Date(now.getTime() + 1000));
    expect(await EcmsMessageId.count({ where: { peerOrganisationId: p, messageId: 'mid://c' } })).to.equal(0);
  });

  it('keeps one queue per peer, in order, with large payloads', async () => {
    const q = new DbPickupQueue();
    const a = peer(), b = peer();
    const big = `<x>${'ก'.repeat(200_000)}</x>`;
    const first = await q.enqueue(a, big);
    const second = await q.enqueue(a, '<y/>');
    await q.enqueue(b, '<z/>');
    expect((await q.next(a))?.payloadXml).to.equal(big);
    expect((await q.get(a, second.processId))?.payloadXml).to.equal('<y/>');
    expect(await q.get(b, first.processId), 'another peer cannot read it').to.equal(null);
    expect(await q.remove(b, first.processId), 'nor delete it').to.equal(false);
    expect(await q.remove(a, first.processId)).to.equal(true);
    expect((await q.next(a))?.processId).to.equal(second.processId);
  });

  it('enqueues under the caller\'s ProcessID once: a retry of the same enqueue finds the first item', async () => {
    const q = new DbPickupQueue();
    const a = peer();
    const processId = `saraban-out-${a}`;
    const first = await q.enqueue(a, '<letter/>', processId);
    const again = await q.enqueue(a, '<letter again/>', processId);
    expect(again).to.deep.equal(first);
    expect(await q.remove(a, processId)).to.equal(true);
    expect(await q.next(a), 'one item only').to.equal(null);
  });

  it('the endpoint on these stores: a failed handler leaves the MessageID to the retry, which is stored once; a third send is a duplicate', async () => {
    const us = makeParty('11008'), them = makeParty('12001');
    const app = express();
    const server = await listen(app);
    const url = `${server.url}/ecms/ws`;
    let failNext = true;
    const stored: string[] = [];
    app.use('/ecms/ws', createEcmsRouter({
      identity: us, endpointUrls: [url], replay: new DbReplayStore(), queue: new DbPickupQueue(), onRefused: () => undefined,
      resolvePeer: async (id) => (id === '12001' ? { ecmsOrganisationId: id, endpointUrl: 'x', certificatePem: them.certificatePem } : null),
      handlers: {
        onLetterArrived: async ({ letter }) => {
          if (failNext) {
            failNext = false;
            throw new Error('database unavailable');
          }
          stored.push(letter.letterNumber);
          return { processId: 'stored-1' };
        },
        onNotifier: async () => ({ processId: 'n' }), onWithdraw: async () => true, organisations: async () => [],
      },
    }));
    try {
      const client = new EcmsClient(them, { ecmsOrganisationId: '11008', endpointUrl: url, certificatePem: us.certificatePem });
      const letter = { letterNumber: 'กค 0401/1', correspondenceDate: '2026-12-04', subject: 'ทดสอบ', secretCode: '001' as const, speedCode: '001' as const, sender: { ministryId: '12', departmentId: '12001' }, receiver: { ministryId: '11', departmentId: '11008' }, references: [], sendDate: new Date().toISOString(), mainLetter: { mimeCode: 'application/pdf', content: samplePdf }, attachments: [] };
      const messageId = newMessageId('12001');
      const attempt = async () => {
        try {
          return await client.sendLetter(letter, messageId);
        } catch (err) {
          return err as EcmsRefused;
        }
      };
      const first = await attempt();
      expect(first).to.be.instanceOf(EcmsRefused);
      expect((first as EcmsRefused).status).to.equal(500);
      expect(stored).to.deep.equal([]);
      expect((await attempt() as { processId: string }).processId).to.equal('stored-1');
      const third = await attempt();
      expect((third as EcmsRefused).code).to.equal('duplicate_message');
      expect(stored).to.deep.equal(['กค 0401/1']);
    } finally {
      await server.close();
    }
  });
});
