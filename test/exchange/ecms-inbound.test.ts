// The test peer (xmlsec1 + hand-written templates) sends to our ECMS endpoint: letters, each
// notifier, a withdrawal, the inbound queue; and hostile messages, each refused with a 4xx SOAP
// Fault, nothing handed to the arrivals tray, and a record for the administrators.
import { expect } from 'chai';
import express from 'express';
import { makeParty, listen, samplePdf, type TestParty } from './ecms-helpers';
import { fill, governmentDocument, envelope, post, mid, textOf, xmlsecVerify, operationOf, E, type LetterVars } from './ecms-peer';
import { createEcmsRouter } from '../../server/modules/exchange/ecms/server';
import { MemoryReplayStore, MemoryPickupQueue } from '../../server/modules/exchange/ecms/memory-stores';
import { signLetter } from '../../server/modules/exchange/ecms/dsig';
import * as m from '../../server/modules/exchange/ecms/messages';
import type { ArrivedLetter, RefusalRecord } from '../../server/modules/exchange/ecms/types';
import { jobCounts } from '../../server/modules/exchange/ecms/pool';

const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

describe('ECMS endpoint: a peer sends to us', function () {
  this.timeout(60000);
  let us: TestParty, peer: TestParty, stranger: TestParty;
  let url: string, close: () => Promise<void>;
  let arrived: ArrivedLetter[], notifiers: m.EcmsNotifier[], withdrawals: m.EcmsWithdrawal[], refusals: RefusalRecord[];
  let queue: MemoryPickupQueue;

  before(async () => {
    us = makeParty('11008');
    peer = makeParty('12001');
    stranger = makeParty('13005');
    const app = express();
    const server = await listen(app);
    url = `${server.url}/ecms/ws`;
    close = server.close;
    queue = new MemoryPickupQueue();
    app.use('/ecms/ws', createEcmsRouter({
      identity: us, endpointUrls: [url], replay: new MemoryReplayStore(), queue, maxBytes: 256 * 1024,
      resolvePeer: async (id) => (id === peer.ecmsOrganisationId ? { ecmsOrganisationId: id, endpointUrl: 'http://peer.invalid/ecms', certificatePem: peer.certificatePem } : null),
      handlers: {
        onLetterArrived: async (a) => (arrived.push(a), { processId: `ours-${arrived.length}` }),
        onNotifier: async (n) => (notifiers.push(n), { processId: `ours-n-${notifiers.length}` }),
        onWithdraw: async (w) => (withdrawals.push(w), w.letterNumber !== 'ไม่มี 1/1'),
        organisations: async ({ ministriesOnly }) => (ministriesOnly ? [{ id: '11', thaiName: 'สำนักนายกรัฐมนตรี' }] : [{ id: '11008', thaiName: 'กรมทดสอบ', ministryId: '11', ecmsUrl: url }]),
      },
      onRefused: (r) => void refusals.push(r),
    }));
  });
  after(() => close());
  beforeEach(() => {
    arrived = [];
    notifiers = [];
    withdrawals = [];
    refusals = [];
  });

  const action = (op: string) => `${E}/${op}`;
  const letterVars = (over: Partial<LetterVars> = {}): LetterVars => ({ letterNumber: 'กค 0401/321', subject: 'ขอเชิญประชุม', sender: '12001', receiver: '11008', main: samplePdf, attachment: png, ...over });
  async function letterEnvelope(over: Partial<LetterVars> = {}, opts: { signer?: TestParty; letterSigner?: TestParty; messageId?: string; to?: string; from?: string } = {}) {
    const doc = await governmentDocument(letterVars(over), opts.letterSigner ?? peer);
    return envelope({ body: fill('outbound-request.xml', { PAYLOAD: doc }), to: opts.to ?? url, action: action('CorrespondenceLetterOutboundRequest'), from: opts.from ?? '12001', messageId: opts.messageId }, opts.signer ?? peer);
  }
  function expectRefused(res: { status: number; text: string }, status: number, code: string) {
    expect(res.status, res.text).to.equal(status);
    expect(textOf(res.text, 'faultcode')).to.equal('soap:Client');
    expect(textOf(res.text, 'Code')).to.equal(code);
    expect(arrived, 'nothing reaches the arrivals tray').to.have.length(0);
    expect(notifiers).to.have.length(0);
    expect(refusals.map((r) => r.code), 'the administrators see the refusal').to.deep.equal([code]);
  }

  it('takes a signed letter: the fields, both files byte for byte, and a response we signed that xmlsec1 verifies', async () => {
    const res = await post(url, await letterEnvelope());
    expect(res.status, res.text).to.equal(200);
    expect(arrived).to.have.length(1);
    const { letter, signedDocument } = arrived[0];
    expect(letter).to.include({ letterNumber: 'กค 0401/321', subject: 'ขอเชิญประชุม', correspondenceDate: '2026-12-04', secretCode: '001', speedCode: '003', enclosureText: 'สำเนารายงาน 1 ชุด' });
    expect(letter.sender).to.deep.include({ givenName: 'สมชาย', familyName: 'ใจดี', ministryId: '12', departmentId: '12001' });
    expect(letter.references).to.deep.equal([{ letterNumber: 'นร 0105/99', date: '2026-11-01', subject: 'หนังสือที่อ้างถึง' }]);
    expect(letter.mainLetter.content.equals(samplePdf)).to.equal(true);
    expect(letter.attachments.map((a) => [a.mimeCode, a.fileName, a.content.equals(png)])).to.deep.equal([['image/png', 'map.png', true]]);
    expect(signedDocument.toString('utf8')).to.contain('GovernmentSignature');
    expect(operationOf(res.text)).to.equal('CorrespondenceLetterOutboundResponse');
    expect(textOf(res.text, 'ProcessID')).to.equal('ours-1');
    expect(textOf(res.text, 'RelatesTo')).to.match(/^mid:\/\//);
    expect(await xmlsecVerify(res.text, us.certFile), 'xmlsec1 verifies our response with our certificate').to.equal(true);
    expect(await xmlsecVerify(res.text, peer.certFile), 'and not with another one').to.equal(false);
  });

  const notifierCases: Array<[string, m.NotifierKind, Record<string, string>]> = [
    ['receive-notifier.xml', 'receive', {}],
    ['accept-notifier.xml', 'accept', { ACCEPT_ID: '1234/2569' }],
    ['reject-notifier.xml', 'reject', { REASON: 'ส่งผิดเรื่อง' }],
    ['invalid-notifier.xml', 'invalid', { REASON: 'ไม่ใช่หน่วยงานผู้รับ' }],
    ['invalid-accept-id-notifier.xml', 'invalidAcceptId', { ACCEPT_ID: '99/2569' }],
  ];
  for (const [file, kind, extra] of notifierCases) {
    it(`passes a signed ${file.replace('.xml', '')} to onNotifier as "${kind}"`, async () => {
      const payload = fill(file, { LETTER_NUMBER: 'ศธ 0201/77', DATE: '2026-12-01', SUBJECT: 'ตอบรับ', ...extra });
      const res = await post(url, await envelope({ body: fill('outbound-request.xml', { PAYLOAD: payload }), to: url, action: action('CorrespondenceLetterOutboundRequest'), from: '12001' }, peer));
      expect(res.status, res.text).to.equal(200);
      expect(notifiers).to.have.length(1);
      expect(notifiers[0]).to.include({ kind, letterNumber: 'ศธ 0201/77', correspondenceDate: '2026-12-01', subject: 'ตอบรับ' });
      if (extra.ACCEPT_ID) expect(notifiers[0].acceptId).to.equal(extra.ACCEPT_ID);
      if (extra.REASON) expect(notifiers[0].reason).to.equal(extra.REASON);
    });
  }

  it('withdraws a letter for its sender and answers NotFound for an unknown one', async () => {
    const send = async (letterNumber: string) => post(url, await envelope({
      body: fill('withdraw-request.xml', { LETTER_NUMBER: letterNumber, DATE: '2026-12-04', SENDER: '12001', RECEIVER: '11008' }), to: url, action: action('CorrespondenceDeleteGovernmentDocumentRequest'), from: '12001',
    }, peer));
    const ok = await send('กค 0401/321');
    expect(textOf(ok.text, 'Status')).to.equal('OK');
    expect(withdrawals[0]).to.deep.equal({ letterNumber: 'กค 0401/321', correspondenceDate: '2026-12-04', senderDepartmentId: '12001', receiverDepartmentId: '11008' });
    expect(textOf((await send('ไม่มี 1/1')).text, 'Status')).to.equal('NotFound');
  });

  it('refuses to withdraw a letter in another sender\'s name', async () => {
    const res = await post(url, await envelope({
      body: fill('withdraw-request.xml', { LETTER_NUMBER: 'กค 0401/321', DATE: '2026-12-04', SENDER: '13005', RECEIVER: '11008' }), to: url, action: action('CorrespondenceDeleteGovernmentDocumentRequest'), from: '12001',
    }, peer));
    expectRefused(res, 403, 'sender_mismatch');
    expect(withdrawals).to.have.length(0);
  });

  it('serves the peer its queue: the next item with a letter xmlsec1 verifies, then delete, then empty', async () => {
    const id = 'letter-q1';
    const letter = { letterNumber: 'นร 0105/5', correspondenceDate: '2026-12-04', subject: 'แจ้งเวียน', secretCode: '001' as const, speedCode: '001' as const, sender: { ministryId: '11', departmentId: '11008' }, receiver: { ministryId: '12', departmentId: '12001' }, references: [], sendDate: new Date().toISOString(), mainLetter: { mimeCode: 'application/pdf', content: samplePdf }, attachments: [] };
    const item = await queue.enqueue('12001', signLetter(m.letterXml(letter, id), id, us).replace(/^<\?xml[^>]*>/, ''));
    await queue.enqueue('13005', '<ReceiveLetterNotifier><LetterID>x</LetterID><CorrespondenceDate>2026-12-04</CorrespondenceDate><Subject>other peer</Subject></ReceiveLetterNotifier>');
    const ask = async (op: string, body: string) => post(url, await envelope({ body, to: url, action: action(op), from: '12001' }, peer));
    const next = await ask('CorrespondenceLetterInboundRequest', fill('inbound-request.xml', {}));
    expect(next.status, next.text).to.equal(200);
    expect(textOf(next.text, 'ProcessID')).to.equal(item.processId);
    expect(textOf(next.text, 'Subject')).to.equal('แจ้งเวียน');
    expect(await xmlsecVerify(next.text, us.certFile, "//*[local-name()='GovernmentSignature']/*[local-name()='Signature']"), 'the letter signature verifies independently').to.equal(true);
    const again = await ask('CorrespondenceLetterInboundSpecialRequest', `<e:CorrespondenceLetterInboundSpecialRequest xmlns:e="${E}"><ProcessID>${item.processId}</ProcessID></e:CorrespondenceLetterInboundSpecialRequest>`);
    expect(textOf(again.text, 'ProcessID')).to.equal(item.processId);
    const del = await ask('CorrespondenceLetterDeleteRequest', fill('delete-request.xml', { PROCESS_ID: item.processId }));
    expect(textOf(del.text, 'Status')).to.equal('OK');
    const empty = await ask('CorrespondenceLetterInboundRequest', fill('inbound-request.xml', {}));
    expect(textOf(empty.text, 'ProcessID'), 'another peer\'s queue is never served').to.equal(undefined);
    expect(textOf((await ask('CorrespondenceLetterDeleteRequest', fill('delete-request.xml', { PROCESS_ID: item.processId }))).text, 'Status')).to.equal('NotFound');
  });

  it('answers the code lists and the organisation lists', async () => {
    const ask = async (op: string) => post(url, await envelope({ body: fill('empty-request.xml', { OPERATION: op }), to: url, action: action(op), from: '12001' }, peer));
    const secret = await ask('GetSecretCodes');
    expect(secret.text).to.contain('<Value>003</Value><Description>ลับมาก</Description>');
    expect((await ask('GetSpeedCodes')).text).to.contain('<Value>004</Value><Description>ด่วนที่สุด</Description>');
    expect((await ask('GetMimeCodes')).text).to.contain('<Value>application/pdf</Value>');
    expect(textOf((await ask('GetMinistryOrganizationList')).text, 'ThaiName')).to.equal('สำนักนายกรัฐมนตรี');
    expect(textOf((await ask('GetOrganizationList')).text, 'ECMSURL')).to.equal(url);
  });

  describe('hostile', () => {
    it('refuses a body altered after signing', async () => {
      const xml = (await letterEnvelope()).replace('ขอเชิญประชุม', 'โอนเงินด่วน');
      expectRefused(await post(url, xml), 403, 'bad_signature');
    });

    it('refuses a large letter altered after signing (checked on the worker thread) the same way', async () => {
      const before = jobCounts.offThread;
      const xml = (await letterEnvelope({ main: Buffer.alloc(100 * 1024, 3) })).replace('ขอเชิญประชุม', 'โอนเงินด่วน');
      expectRefused(await post(url, xml), 403, 'bad_signature');
      expect(jobCounts.offThread).to.equal(before + 1);
    });

    it('refuses signature wrapping: the signed Body moved into the header and an unsigned Body with the same ID put in its place', async () => {
      const xml = await letterEnvelope();
      const signedBody = /<SOAP-ENV:Body ID="peer-body">[\s\S]*<\/SOAP-ENV:Body>/.exec(xml)![0];
      const forged = signedBody.replace('ขอเชิญประชุม', 'หนังสือปลอม').replace('กค 0401/321', 'กค 0401/999');
      const wrapped = xml.replace(signedBody, forged).replace('</SOAP-ENV:Header>', `<w:Wrapper xmlns:w="urn:attacker">${signedBody}</w:Wrapper></SOAP-ENV:Header>`);
      expectRefused(await post(url, wrapped), 400, 'malformed');
    });

    it('refuses signature wrapping: the signed Body moved aside and an unsigned Body without the signed ID processed', async () => {
      const xml = await letterEnvelope();
      const signedBody = /<SOAP-ENV:Body ID="peer-body">[\s\S]*<\/SOAP-ENV:Body>/.exec(xml)![0];
      const forged = signedBody.replace(' ID="peer-body"', ' ID="attacker-body"').replace(/ID="peer-letter-/, 'ID="forged-letter-').replace('ขอเชิญประชุม', 'หนังสือปลอม');
      const moved = signedBody.replace(/SOAP-ENV:Body/g, 'w:Kept').replace('<w:Kept', '<w:Kept xmlns:w="urn:attacker"');
      const wrapped = xml.replace(signedBody, forged).replace('</SOAP-ENV:Header>', `${moved}</SOAP-ENV:Header>`);
      expectRefused(await post(url, wrapped), 403, 'bad_signature');
    });

    it('refuses a message signed by a certificate that is not the sender\'s in our directory', async () => {
      expectRefused(await post(url, await letterEnvelope({}, { signer: stranger })), 403, 'bad_signature');
    });

    it('refuses an unsigned WS-Addressing header added to a signed message', async () => {
      const xml = (await letterEnvelope()).replace('<wsse:Security', '<wsa:RelatesTo xmlns:wsa="http://www.w3.org/2005/08/addressing" ID="added">mid://someone-else</wsa:RelatesTo><wsse:Security');
      expectRefused(await post(url, xml), 403, 'bad_signature');
    });

    it('refuses a sender that is not in the directory', async () => {
      expectRefused(await post(url, await letterEnvelope({ sender: '13005' }, { signer: stranger, letterSigner: stranger, from: '13005' })), 403, 'unknown_peer');
    });

    it('refuses a letter whose own GovernmentSignature is by someone else, though the message is signed by the peer', async () => {
      expectRefused(await post(url, await letterEnvelope({}, { letterSigner: stranger })), 403, 'bad_signature');
    });

    it('processes a MessageID once: the same signed message again is refused 409 and stored once', async () => {
      const xml = await letterEnvelope();
      expect((await post(url, xml)).status).to.equal(200);
      const again = await post(url, xml);
      expect(again.status).to.equal(409);
      expect(textOf(again.text, 'Code')).to.equal('duplicate_message');
      expect(arrived).to.have.length(1);
    });

    it('refuses an old message (replay outside the window)', async () => {
      expectRefused(await post(url, await letterEnvelope({}, { messageId: mid(new Date(Date.now() - 3600_000)) })), 403, 'stale');
    });

    it('refuses a message addressed to another endpoint', async () => {
      expectRefused(await post(url, await letterEnvelope({}, { to: 'https://other-agency.go.th/ecms/ws' })), 403, 'wrong_recipient');
    });

    it('refuses a letter for another agency', async () => {
      expectRefused(await post(url, await letterEnvelope({ receiver: '14002' })), 403, 'not_for_us');
    });

    it('refuses a top secret letter', async () => {
      expectRefused(await post(url, await letterEnvelope({ secretCode: '004' })), 400, 'malformed');
    });

    it('refuses malformed XML, a DOCTYPE, a non-SOAP document and a wrong content type', async () => {
      const cases: Array<[string, string, number, string]> = [
        ['<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>', 'text/xml', 400, 'malformed'],
        ['<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', 'text/xml', 400, 'malformed'],
        ['<letter>hello</letter>', 'text/xml', 400, 'malformed'],
        ['{"letter":1}', 'application/json', 415, 'content_type'],
      ];
      for (const [body, type, status, code] of cases) {
        refusals = [];
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
        expectRefused({ status: res.status, text: await res.text() }, status, code);
      }
    });

    it('refuses an oversized request with 413 before reading it', async () => {
      const res = await post(url, await letterEnvelope({ main: Buffer.alloc(300 * 1024, 1) }));
      expectRefused(res, 413, 'too_large');
    });
  });
});
