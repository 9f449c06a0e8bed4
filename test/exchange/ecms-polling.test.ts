// ECMS without a listening peer, between a real server process and the xmlsec1 test peer (built from
// the message templates, not from our client): the server polls a node that queues letters for it
// (stored exactly once, dequeued only after the arrival is committed; an item that cannot be stored is
// set aside, recorded and dequeued, so the letters behind it land; a set-aside letter tried again after
// its sender was added lands once), and letters to a peer that polls us wait in our queue, signed so that xmlsec1 verifies
// them, also after the deployment's exchange key was replaced. A file type outside the ECMS MIME
// list is refused at send time.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { testDialect } from '../helpers/env';
import { Deployment, eventually } from './helpers';
import { makeParty, samplePdf, tmpDir, type TestParty } from './ecms-helpers';
import { E, envelope, fill, governmentDocument, post, startPeerServer, textOf, xmlsecVerify } from './ecms-peer';

const ECMS_B = '12002'; // the deployment's central office (สธ 02)
const ECMS_B_CM = '12033'; // its Chiang Mai office
const LETTER_SIG = "//*[local-name()='GovernmentSignature']/*[local-name()='Signature']";

describe('ECMS polling and pickup queues', function () {
  this.timeout(120_000);
  let b: Deployment;
  let node: TestParty; // an ECMS node that keeps letters for us (we poll it)
  let poller: TestParty; // a peer without an endpoint that polls us
  let nodeServer: Awaited<ReturnType<typeof startPeerServer>>;
  let bCertFile: string;
  let pollerAtB: number;

  const refusals = async () => ((await b.as('admin', 'GET', '/exchange/refusals?limit=100')).body.items as Array<{ reason: string; messageId: string | null }>);
  const setAside = async () => ((await b.as('admin', 'GET', '/exchange/set-aside')).body.items as Array<{ id: number; processId: string; kind: string; reason: string; status: string; claimedSender: string | null }>);
  const inTray = async (subject: string) => (await b.tray('cm.clerk')).filter((x) => x.letter.subject === subject);
  const addPeer = async (entry: Record<string, unknown>) => {
    const r = await b.as('admin', 'POST', '/exchange/peers', { transport: 'ecms', ...entry });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    return r.body.id as number;
  };
  /** The poller asks B's queue (a signed CorrespondenceLetterInboundRequest or DeleteRequest, as xmlsec1 signs it). */
  const ask = async (operation: string, body: string) => {
    const xml = await envelope({ body, to: `${b.url}/ecms/ws`, action: `${E}/${operation}`, from: poller.ecmsOrganisationId }, poller);
    return post(`${b.url}/ecms/ws`, xml, `${E}/${operation}`);
  };

  before(async () => {
    b = await Deployment.create('ecmspoll', testDialect(), { ECMS_ENABLED: 'true', ECMS_ORGANISATION_ID: ECMS_B, ECMS_POLL_SECONDS: '1' });
    await b.start();
    node = makeParty('12001');
    poller = makeParty('12005');
    bCertFile = path.join(tmpDir, 'deployment-poll.crt');
    fs.writeFileSync(bCertFile, (await b.as('admin', 'GET', '/exchange/identity')).body.certificatePem);
    nodeServer = await startPeerServer(node, bCertFile);
    for (const [code, id] of [['สธ 02', ECMS_B], ['ชม 0033', ECMS_B_CM]]) {
      expect((await b.as('admin', 'PATCH', `/organisations/${await b.orgId(code)}`, { interchangeId: id })).status).to.equal(200);
    }
    await addPeer({ nameTh: 'ตัวกลาง ECMS (xmlsec1)', agencyCode: 'ทส 0001', ecmsOrganisationId: node.ecmsOrganisationId, endpointUrl: nodeServer.url, certificatePem: node.certificatePem, ecmsMode: 'poll' });
    pollerAtB = await addPeer({ nameTh: 'กรมที่มารับเอง', agencyCode: 'ทส 0005', ecmsOrganisationId: poller.ecmsOrganisationId, certificatePem: poller.certificatePem, ecmsMode: 'pickup' });
  });
  afterEach(function () {
    // What the server said about polling, when a test failed.
    if (this.currentTest?.state === 'failed') console.log((b.server?.output() ?? '').split('\n').slice(-15).join('\n').slice(-3000));
  });
  after(async () => {
    // B first: it holds keep-alive connections to the node, which would keep the node's server open.
    await b?.drop();
    await nodeServer?.close();
  });

  it('sets aside an item it cannot verify: kept and listed for administrators, deleted from the node, and the letter behind it lands', async () => {
    const impostor = makeParty('12991'); // signs as the node's sender (SenderParty 12001) with another key
    const forged = await governmentDocument({ letterNumber: 'ทส 0001/90', subject: 'ECMS ปลอม', sender: node.ecmsOrganisationId, receiver: ECMS_B_CM, main: samplePdf, attachment: samplePdf }, impostor);
    const behind = await governmentDocument({ letterNumber: 'ทส 0001/89', subject: 'ECMS หลังรายการปลอม', sender: node.ecmsOrganisationId, receiver: ECMS_B_CM, main: samplePdf, attachment: samplePdf }, node);
    // The node hands out its queue's head only: left there, the forged item would hold back every letter behind it.
    nodeServer.queue.push({ processId: 'forged-1', payload: forged }, { processId: 'behind-1', payload: behind });
    await eventually('the letter behind it lands', async () => ((await inTray('ECMS หลังรายการปลอม')).length ? true : undefined));
    await eventually("the node's queue is empty", async () => (nodeServer.queue.length === 0 ? true : undefined));
    const deleted = nodeServer.received.filter((r) => r.operation === 'CorrespondenceLetterDeleteRequest').map((r) => textOf(r.xml, 'ProcessID'));
    expect(deleted).to.deep.equal(['forged-1', 'behind-1']);
    expect(await inTray('ECMS ปลอม'), 'nothing reaches a clerk').to.have.length(0);
    const listed = (await refusals()).filter((r) => r.reason === 'ecms_poll_bad_signature');
    expect(listed.map((r) => r.messageId), 'listed once').to.deep.equal(['forged-1']);
    const held = (await setAside()).filter((x) => x.processId === 'forged-1');
    expect(held).to.have.length(1);
    expect(held[0]).to.include({ kind: 'letter', reason: 'bad_signature', status: 'held', claimedSender: node.ecmsOrganisationId });
    // Tried again, it is verified afresh and still refused; a clerk cannot see or try the list.
    const again = await b.as('admin', 'POST', `/exchange/set-aside/${held[0].id}/retry`);
    expect(again.status, JSON.stringify(again.body)).to.equal(422);
    expect(await inTray('ECMS ปลอม')).to.have.length(0);
    expect((await b.as('cm.clerk', 'GET', '/exchange/set-aside')).status).to.equal(403);
    expect((await b.as('cm.clerk', 'POST', `/exchange/set-aside/${held[0].id}/retry`)).status).to.equal(403);
  });

  it('sets aside a letter from a sender not yet in the directory; tried again after the sender is added, it lands once', async () => {
    const newcomer = makeParty('12007');
    const doc = await governmentDocument({ letterNumber: 'ทส 0007/1', subject: 'ECMS จากกรมที่ยังไม่รู้จัก', sender: newcomer.ecmsOrganisationId, receiver: ECMS_B_CM, main: samplePdf, attachment: samplePdf }, newcomer);
    nodeServer.queue.push({ processId: 'newcomer-1', payload: doc });
    const item = await eventually('set aside', async () => (await setAside()).find((x) => x.processId === 'newcomer-1'));
    await eventually("the node's queue is empty", async () => (nodeServer.queue.length === 0 ? true : undefined));
    expect(item).to.include({ reason: 'unknown_peer', status: 'held', claimedSender: newcomer.ecmsOrganisationId });
    expect(await inTray('ECMS จากกรมที่ยังไม่รู้จัก')).to.have.length(0);
    await addPeer({ nameTh: 'กรมที่เพิ่งรู้จัก', agencyCode: 'ทส 0007', ecmsOrganisationId: newcomer.ecmsOrganisationId, endpointUrl: nodeServer.url, certificatePem: newcomer.certificatePem });
    const r = await b.as('admin', 'POST', `/exchange/set-aside/${item!.id}/retry`);
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    expect(r.body.status).to.equal('stored');
    const [line, ...more] = await inTray('ECMS จากกรมที่ยังไม่รู้จัก');
    expect(more).to.have.length(0);
    expect(line.sender.agencyCode).to.equal('ทส 0007');
    expect((await b.as('admin', 'POST', `/exchange/set-aside/${item!.id}/retry`)).status, 'once').to.equal(409);
    expect(await inTray('ECMS จากกรมที่ยังไม่รู้จัก')).to.have.length(1);
  });

  it('stores a letter the node keeps for us exactly once, then dequeues it; the same item served again only gets deleted again', async () => {
    const doc = await governmentDocument({ letterNumber: 'ทส 0001/91', subject: 'ECMS จากคิว', sender: node.ecmsOrganisationId, receiver: ECMS_B_CM, main: samplePdf, attachment: samplePdf }, node);
    nodeServer.queue.push({ processId: 'q-1', payload: doc });
    const [line, ...more] = await eventually('the letter lands', async () => ((await inTray('ECMS จากคิว')).length ? inTray('ECMS จากคิว') : undefined));
    expect(more).to.have.length(0);
    expect(line.sender.agencyCode).to.equal('ทส 0001');
    await eventually('the node\'s queue is empty', async () => (nodeServer.queue.length === 0 ? true : undefined));
    const deletes = nodeServer.received.filter((r) => r.operation === 'CorrespondenceLetterDeleteRequest');
    expect(deletes.map((r) => textOf(r.xml, 'ProcessID')).filter((id) => id?.startsWith('q-'))).to.deep.equal(['q-1']);
    // A deletion the node lost: it serves the item again.
    nodeServer.queue.push({ processId: 'q-1', payload: doc });
    await eventually('deleted again', async () => (nodeServer.queue.length === 0 ? true : undefined));
    expect(await inTray('ECMS จากคิว'), 'still one arrival').to.have.length(1);
    expect(nodeServer.refused, 'xmlsec1 verified every request B signed').to.have.length(0);
  });

  it("reads the node's queue of each of our organisations: a letter kept for the Chiang Mai office's own ECMS id lands", async () => {
    const doc = await governmentDocument({ letterNumber: 'ทส 0001/92', subject: 'ECMS คิวของจังหวัด', sender: node.ecmsOrganisationId, receiver: ECMS_B_CM, main: samplePdf, attachment: samplePdf }, node);
    // A node keeps one queue per organisation and serves it only when asked as that organisation.
    nodeServer.queue.push({ processId: 'cm-1', payload: doc, for: ECMS_B_CM });
    await eventually('the letter lands', async () => ((await inTray('ECMS คิวของจังหวัด')).length ? true : undefined));
    await eventually("the node's queue is empty", async () => (nodeServer.queue.length === 0 ? true : undefined));
    const askedAs = nodeServer.received.filter((r) => r.operation === 'CorrespondenceLetterInboundRequest').map((r) => /urn:th:gov:ecms:org:(\d+)/.exec(textOf(r.xml, 'Address') ?? '')?.[1]);
    expect(askedAs).to.include.members([ECMS_B, ECMS_B_CM]);
    expect(await inTray('ECMS คิวของจังหวัด')).to.have.length(1);
  });

  it('queues a letter for a peer that polls us: sent, not delivered; xmlsec1 verifies what it collects; deleted when it says so', async () => {
    const sent = await b.as('clerk', 'POST', `/documents/${await b.numberedLetter('ECMS รอมารับ')}/send`, { recipients: [{ agencyId: pollerAtB }] });
    expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    await eventually('the delivery waits in the queue', async () => ((await b.delivery(sent.body.items[0].id)).status === 'sent' ? true : undefined));
    const got = await ask('CorrespondenceLetterInboundRequest', fill('inbound-request.xml', {}));
    expect(got.status, got.text).to.equal(200);
    expect(textOf(got.text, 'Subject')).to.equal('ECMS รอมารับ');
    expect(await xmlsecVerify(got.text, bCertFile), 'the answer').to.equal(true);
    expect(await xmlsecVerify(got.text, bCertFile, LETTER_SIG), 'the letter\'s own signature').to.equal(true);
    const processId = textOf(got.text, 'ProcessID')!;
    const del = await ask('CorrespondenceLetterDeleteRequest', fill('delete-request.xml', { PROCESS_ID: processId }));
    expect(textOf(del.text, 'Status')).to.equal('OK');
    const empty = await ask('CorrespondenceLetterInboundRequest', fill('inbound-request.xml', {}));
    expect(textOf(empty.text, 'ProcessID'), 'nothing more queued').to.equal(undefined);
  });

  it('takes a letter the peer never collected out of the queue after the give-up time: not delivered; an administrator queues it again', async () => {
    const sent = await b.as('clerk', 'POST', `/documents/${await b.numberedLetter('ECMS ไม่มีใครมารับ')}/send`, { recipients: [{ agencyId: pollerAtB }] });
    expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    const id = sent.body.items[0].id as number;
    await eventually('the delivery waits in the queue', async () => ((await b.delivery(id)).status === 'sent' ? true : undefined));
    // The clock, faked: queued longer than EXCHANGE_GIVE_UP_MINUTES (72 h by default).
    await b.sql('UPDATE exchange_outbox SET queuedAt = ? WHERE deliveryId = ?', [new Date(Date.now() - 73 * 3_600_000), id]);
    const given = await eventually('not delivered', async () => { const d = await b.delivery(id); return d.status === 'failed' ? d : undefined; });
    expect(given.reason).to.match(/ไม่ได้มารับหนังสือจากคิวภายใน 72 ชั่วโมง/);
    const empty = await ask('CorrespondenceLetterInboundRequest', fill('inbound-request.xml', {}));
    expect(textOf(empty.text, 'ProcessID'), 'taken out of the queue').to.equal(undefined);
    const row = ((await b.as('admin', 'GET', '/exchange/outbox?status=failed')).body.items as Array<{ id: number; deliveryId: number }>).find((x) => x.deliveryId === id)!;
    expect((await b.as('admin', 'POST', `/exchange/outbox/${row.id}/retry`)).status).to.equal(200);
    await eventually('waiting in the queue again', async () => ((await b.delivery(id)).status === 'sent' ? true : undefined));
    const got = await ask('CorrespondenceLetterInboundRequest', fill('inbound-request.xml', {}));
    expect(textOf(got.text, 'Subject')).to.equal('ECMS ไม่มีใครมารับ');
    expect((await ask('CorrespondenceLetterDeleteRequest', fill('delete-request.xml', { PROCESS_ID: textOf(got.text, 'ProcessID')! }))).status).to.equal(200);
  });

  it('signs what it queues with a replaced exchange key, which the peer verifies with the new certificate only', async () => {
    const issued = makeParty('99002');
    const put = await b.as('admin', 'PUT', '/exchange/identity', { certificatePem: issued.certificatePem, privateKeyPem: issued.privateKeyPem });
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    const sent = await b.as('clerk', 'POST', `/documents/${await b.numberedLetter('ECMS กุญแจใหม่')}/send`, { recipients: [{ agencyId: pollerAtB }] });
    expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    await eventually('queued', async () => ((await b.delivery(sent.body.items[0].id)).status === 'sent' ? true : undefined));
    const got = await ask('CorrespondenceLetterInboundRequest', fill('inbound-request.xml', {}));
    expect(textOf(got.text, 'Subject')).to.equal('ECMS กุญแจใหม่');
    expect(await xmlsecVerify(got.text, issued.certFile, LETTER_SIG), 'the letter, with the new certificate').to.equal(true);
    expect(await xmlsecVerify(got.text, issued.certFile), 'the answer, with the new certificate').to.equal(true);
    expect(await xmlsecVerify(got.text, bCertFile, LETTER_SIG), 'not with the old one').to.equal(false);
  });

  it('refuses at send time, in Thai and naming the file, a letter with a file type ECMS does not carry', async () => {
    const gif = Buffer.from('R0lGODlhAQABAAAAACw=', 'base64');
    const id = await b.numberedLetter('ECMS ไฟล์ผิดชนิด', 'clerk', { filename: 'แผนผัง.gif', type: 'image/gif', bytes: gif });
    const outbox = async () => (await b.as('admin', 'GET', '/exchange/outbox?limit=500')).body.items.length as number;
    const before = await outbox();
    const r = await b.as('clerk', 'POST', `/documents/${id}/send`, { recipients: [{ agencyId: pollerAtB }] });
    expect(r.status, JSON.stringify(r.body)).to.equal(422);
    expect(r.body.error.message).to.contain('แผนผัง.gif').and.contain('ECMS').and.match(/ไม่อยู่ในรายการ/);
    expect(await outbox(), 'nothing left to fail in the outbox').to.equal(before);
  });
});
