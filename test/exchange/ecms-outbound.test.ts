// Our ECMS client talks to the test peer (xmlsec1 + hand-written templates): the peer verifies
// every message and letter signature we make with xmlsec1; we verify its signed answers.
import { expect } from 'chai';
import express from 'express';
import { makeParty, listen, samplePdf, type TestParty } from './ecms-helpers';
import { startPeerServer, governmentDocument, fill, textOf, first } from './ecms-peer';
import { EcmsClient, EcmsRefused } from '../../server/modules/exchange/ecms/client';
import { createEcmsRouter } from '../../server/modules/exchange/ecms/server';
import { MemoryReplayStore, MemoryPickupQueue } from '../../server/modules/exchange/ecms/memory-stores';
import type { EcmsLetter } from '../../server/modules/exchange/ecms/messages';
import { jobCounts, INLINE_LIMIT } from '../../server/modules/exchange/ecms/pool';

const letter = (over: Partial<EcmsLetter> = {}): EcmsLetter => ({
  letterNumber: 'นร 0105/123', correspondenceDate: '2026-12-04', subject: 'ขอความอนุเคราะห์ข้อมูล', secretCode: '002', speedCode: '003',
  sender: { givenName: 'วิภา', familyName: 'ทองดี', jobTitle: 'ผู้อำนวยการกอง', ministryId: '11', departmentId: '11008' }, receiver: { jobTitle: 'อธิบดี', ministryId: '12', departmentId: '12001' },
  references: [{ letterNumber: 'กค 0401/7', date: '2026-11-20', subject: 'หนังสือเดิม' }], enclosureText: 'แบบฟอร์ม 1 ชุด', sendDate: new Date().toISOString(),
  mainLetter: { mimeCode: 'application/pdf', fileName: 'letter.pdf', content: samplePdf }, attachments: [{ mimeCode: 'image/png', fileName: 'a.png', content: Buffer.from([1, 2, 3]) }], ...over,
});

describe('ECMS client: we send to a peer', function () {
  this.timeout(60000);
  let us: TestParty, peerParty: TestParty, stranger: TestParty;
  let peer: Awaited<ReturnType<typeof startPeerServer>>;
  let client: EcmsClient;

  before(async () => {
    us = makeParty('11008');
    peerParty = makeParty('12001');
    stranger = makeParty('13005');
    peer = await startPeerServer(peerParty, us.certFile);
    client = new EcmsClient(us, { ecmsOrganisationId: '12001', endpointUrl: peer.url, certificatePem: peerParty.certificatePem });
  });
  after(() => peer.close());
  beforeEach(() => {
    peer.received.length = 0;
    peer.refused.length = 0;
  });

  it('sends a letter that xmlsec1 verifies (message and GovernmentSignature) and reads the peer\'s signed ProcessID', async () => {
    const sent = await client.sendLetter(letter());
    expect(sent.processId).to.equal('peer-process-1');
    expect(sent.messageId).to.match(/^mid:\/\/\d{8}\.\d{9}@11008\./);
    expect(peer.refused).to.have.length(0);
    const [got] = peer.received;
    expect(got.operation).to.equal('CorrespondenceLetterOutboundRequest');
    expect(got.letterVerified, 'xmlsec1 verifies the letter signature with our certificate').to.equal(true);
    expect(textOf(got.xml, 'MessageID')).to.equal(sent.messageId);
    expect(textOf(got.xml, 'To')).to.equal(peer.url);
    expect(textOf(got.xml, 'Action')).to.equal('urn:th:gov:egif:ecms:ws:1/CorrespondenceLetterOutboundRequest');
    expect(textOf(got.xml, 'Address')).to.equal('urn:th:gov:ecms:org:11008');
    // The peer reads the published element names, in their namespaces.
    const ram = 'urn:th:gov:egif:data:standard:ReusableAggregateBusinessInformationEntity:1';
    const letterEl = first(got.xml, 'CorrespondenceLetter')!;
    expect(letterEl.namespaceURI).to.equal(ram);
    expect(first(got.xml, 'GovernmentDocument')!.namespaceURI).to.equal('urn:th:gov:egif:data:standard:GovernmentDocument:1.0');
    expect(textOf(got.xml, 'Subject')).to.equal('ขอความอนุเคราะห์ข้อมูล');
    expect(textOf(got.xml, 'SecretCode')).to.equal('002');
    expect(textOf(got.xml, 'SpeedCode')).to.equal('003');
    const main = first(got.xml, 'MainLetterBinaryObject')!;
    expect(main.getAttribute('mimeCode')).to.equal('application/pdf');
    expect(Buffer.from(main.textContent!, 'base64').equals(samplePdf)).to.equal(true);
    expect(first(got.xml, 'AttachmentBinaryObject')!.getAttribute('mimeCode')).to.equal('image/png');
  });

  it('refuses to send a top secret letter at all', async () => {
    let error: unknown;
    try {
      await client.sendLetter(letter({ secretCode: '004' }));
    } catch (err) {
      error = err;
    }
    expect((error as Error).message).to.contain('top secret');
    expect(peer.received).to.have.length(0);
  });

  it('sends each notifier, signed, with the fields the peer expects', async () => {
    await client.sendNotifier({ kind: 'receive', letterNumber: 'กค 0401/321', correspondenceDate: '2026-12-04', subject: 'ขอเชิญประชุม' });
    await client.sendNotifier({ kind: 'accept', letterNumber: 'กค 0401/321', correspondenceDate: '2026-12-04', subject: 'ขอเชิญประชุม', acceptId: '1234/2569' });
    await client.sendNotifier({ kind: 'reject', letterNumber: 'กค 0401/321', correspondenceDate: '2026-12-04', subject: 'ขอเชิญประชุม', reason: 'ไม่ใช่เรื่องของหน่วยงาน' });
    await client.sendNotifier({ kind: 'invalid', letterNumber: 'กค 0401/321', correspondenceDate: '2026-12-04', subject: 'ขอเชิญประชุม' });
    await client.sendNotifier({ kind: 'invalidAcceptId', letterNumber: 'กค 0401/321', correspondenceDate: '2026-12-04', subject: 'ขอเชิญประชุม', acceptId: '1/2569' });
    expect(peer.refused).to.have.length(0);
    const names = peer.received.map((r) => (first(r.xml, 'LetterID')!.parentNode as Element).localName);
    expect(names).to.deep.equal(['ReceiveLetterNotifier', 'AcceptLetterNotifier', 'RejectLetterNotifier', 'InvalidLetterNotifier', 'InvalidAcceptIDNotifier']);
    expect(textOf(peer.received[1].xml, 'AcceptID')).to.equal('1234/2569');
    expect(textOf(peer.received[2].xml, 'Description')).to.equal('ไม่ใช่เรื่องของหน่วยงาน');
  });

  it('withdraws a letter', async () => {
    expect(await client.withdraw({ letterNumber: 'นร 0105/123', correspondenceDate: '2026-12-04', senderDepartmentId: '11008', receiverDepartmentId: '12001' })).to.equal(true);
    expect(textOf(peer.received[0].xml, 'LetterID')).to.equal('นร 0105/123');
    expect(textOf(first(peer.received[0].xml, 'AcceptDepartment')!.toString(), 'Code')).to.equal('12001');
  });

  it('polls the peer\'s queue: a letter signed by its sender (xmlsec1), verified and read; delete; then nothing', async () => {
    const doc = await governmentDocument({ letterNumber: 'กค 0401/55', subject: 'ส่งรายงาน', sender: '12001', receiver: '11008', main: samplePdf, attachment: Buffer.from('89504e47', 'hex') }, peerParty);
    peer.queue.push({ processId: 'q-1', payload: doc });
    const got = await client.fetchNext();
    expect(got?.processId).to.equal('q-1');
    expect(got?.payload.type).to.equal('letter');
    if (got?.payload.type !== 'letter') throw new Error('expected a letter');
    expect(got.payload.letter).to.include({ letterNumber: 'กค 0401/55', subject: 'ส่งรายงาน' });
    expect(got.payload.letter.mainLetter.content.equals(samplePdf)).to.equal(true);
    expect(await client.deleteQueued('q-1')).to.equal(true);
    expect(await client.fetchNext()).to.equal(null);
    expect(await client.deleteQueued('q-1')).to.equal(false);
  });

  it('refuses a queued letter whose GovernmentSignature is not its sender\'s', async () => {
    const doc = await governmentDocument({ letterNumber: 'กค 0401/56', subject: 'ปลอม', sender: '12001', receiver: '11008', main: samplePdf, attachment: Buffer.from('89504e47', 'hex') }, stranger);
    peer.queue.length = 0;
    peer.queue.push({ processId: 'q-2', payload: doc });
    let error: unknown;
    try {
      await client.fetchNext();
    } catch (err) {
      error = err;
    }
    expect((error as Error)?.message).to.match(/signature/i);
    peer.queue.length = 0;
  });

  it('reads a queued notifier', async () => {
    peer.queue.push({ processId: 'q-3', payload: fill('accept-notifier.xml', { LETTER_NUMBER: 'นร 0105/123', ACCEPT_ID: '88/2569', DATE: '2026-12-04', SUBJECT: 'ขอความอนุเคราะห์ข้อมูล' }) });
    const got = await client.fetchNext();
    expect(got?.payload).to.deep.equal({ type: 'notifier', notifier: { kind: 'accept', letterNumber: 'นร 0105/123', correspondenceDate: '2026-12-04', subject: 'ขอความอนุเคราะห์ข้อมูล', acceptId: '88/2569', reason: undefined } });
    peer.queue.length = 0;
  });

  it('does not accept an answer signed by someone other than the peer', async () => {
    const impostor = await startPeerServer(stranger, us.certFile);
    try {
      const fooled = new EcmsClient(us, { ecmsOrganisationId: '13005', endpointUrl: impostor.url, certificatePem: peerParty.certificatePem });
      let error: unknown;
      try {
        await fooled.sendLetter(letter());
      } catch (err) {
        error = err;
      }
      expect((error as Error)?.message).to.match(/signature/i);
    } finally {
      await impostor.close();
    }
  });

  it('turns a peer\'s refusal into EcmsRefused with its status and code', async () => {
    // The peer refuses what its own xmlsec1 cannot verify: here, a client signing with the wrong key.
    const wrongKey = new EcmsClient({ ...stranger, ecmsOrganisationId: '11008' }, { ecmsOrganisationId: '12001', endpointUrl: peer.url, certificatePem: peerParty.certificatePem });
    let error: unknown;
    try {
      await wrongKey.sendLetter(letter());
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(EcmsRefused);
    expect((error as EcmsRefused).status).to.equal(403);
    expect((error as EcmsRefused).code).to.equal('bad_signature');
  });
});

describe('ECMS client and server together (both ours)', function () {
  this.timeout(60000);
  for (const kind of ['rsa', 'ec'] as const) {
    it(`round-trips a letter, the code lists and the time with ${kind.toUpperCase()} keys`, async () => {
      const a = makeParty('11008', kind), b = makeParty('12001', kind);
      const app = express();
      const server = await listen(app);
      const url = `${server.url}/ecms/ws`;
      const arrived: EcmsLetter[] = [];
      app.use('/ecms/ws', createEcmsRouter({
        identity: b, endpointUrls: [url], replay: new MemoryReplayStore(), queue: new MemoryPickupQueue(), onRefused: () => undefined,
        resolvePeer: async (id) => (id === '11008' ? { ecmsOrganisationId: id, endpointUrl: 'x', certificatePem: a.certificatePem } : null),
        handlers: { onLetterArrived: async ({ letter: l }) => (arrived.push(l), { processId: 'p' }), onNotifier: async () => ({ processId: 'n' }), onWithdraw: async () => true, organisations: async () => [] },
      }));
      try {
        const c = new EcmsClient(a, { ecmsOrganisationId: '12001', endpointUrl: url, certificatePem: b.certificatePem });
        expect((await c.sendLetter(letter())).processId).to.equal('p');
        expect(arrived[0]).to.deep.include({ letterNumber: 'นร 0105/123', enclosureText: 'แบบฟอร์ม 1 ชุด' });
        expect(arrived[0].attachments[0].content.equals(Buffer.from([1, 2, 3]))).to.equal(true);
        expect((await c.codes('GetSpeedCodes')).map((x) => x.value)).to.deep.equal(['001', '002', '003', '004']);
        expect(Math.abs((await c.time()).getTime() - Date.now())).to.be.below(60_000);
        expect(await c.organisations()).to.deep.equal([]);
        // A large letter is signed and verified on the worker thread, and arrives intact.
        const before = jobCounts.offThread;
        const big = Buffer.alloc(INLINE_LIMIT * 3, 0x5a);
        await c.sendLetter(letter({ letterNumber: 'นร 0105/124', attachments: [{ mimeCode: 'application/zip', fileName: 'big.zip', content: big }] }));
        expect(jobCounts.offThread - before, 'our signing and the server\'s verification left the event loop').to.be.at.least(2);
        expect(arrived[1].attachments[0].content.equals(big)).to.equal(true);
        expect(Buffer.isBuffer(arrived[1].attachments[0].content)).to.equal(true);
      } finally {
        await server.close();
      }
    });
  }
});
