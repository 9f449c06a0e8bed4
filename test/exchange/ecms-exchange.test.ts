// The ECMS transport between two real Saraban deployments on loopback (SQLite and, in the MariaDB
// pass, MariaDB), each signing with its own exchange key: a letter sent while the receiver is down
// lands once when it is back, the notifiers (receive, accept with the receive number, reject) change
// the sender's delivery, a withdrawal before acceptance takes the arrival back; and the xmlsec1 test
// peer (not our client code) sends a letter to a real server process that lands in its tray and is
// answered with a ReceiveLetterNotifier xmlsec1 verifies.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { testDialect } from '../helpers/env';
import { Deployment, Relay, eventually, pdf } from './helpers';
import { makeParty, samplePdf, tmpDir, type TestParty } from './ecms-helpers';
import { E, envelope, fill, first, governmentDocument, post, startPeerServer, textOf } from './ecms-peer';

type Delivery = { id: number; status: string; reason: string | null; received: { number: number | null; year: number | null } | null; exchange?: { status: string; attempts: number; lastError: string | null; outboxId: number } | null };
const ECMS_A = '11002'; // A's central office (สธ 02)
const ECMS_B = '12002'; // B's central office: the id B's endpoint answers as by default
/** How long a status may take to travel back: generous, the machine these run on is often loaded. */
const PATIENCE = 120_000;
const ECMS_B_CM = '12033'; // B's Chiang Mai office: an organisation with its own ECMS id, served by B's one endpoint

describe('ECMS exchange between two deployments', function () {
  this.timeout(600_000);
  let a: Deployment;
  let b: Deployment;
  let bCmAtA: number; // B's ชม 0033 in A's directory (transport ecms)
  let relayed: number; // the same, reached through a relay that can lose B's answer
  let relay: Relay;
  let peer: TestParty;
  let peerServer: Awaited<ReturnType<typeof startPeerServer>>;

  const send = async (docId: number, agencyId = bCmAtA) => {
    const r = await a.as('clerk', 'POST', `/documents/${docId}/send`, { recipients: [{ agencyId }] });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    return r.body.items[0] as Delivery;
  };
  const statusAt = (id: number, status: string) =>
    eventually(`delivery ${id} at A becomes ${status}`, async () => {
      const x = (await a.delivery(id)) as Delivery;
      return x.status === status ? x : undefined;
    }, PATIENCE);
  const inTray = (subject: string) => b.tray().then((rows) => rows.filter((x) => x.letter.subject === subject));
  const arrived = (subject: string) => eventually(`"${subject}" in B's tray`, async () => ((await inTray(subject)).length ? inTray(subject) : undefined), PATIENCE);
  const setEcmsId = async (d: Deployment, agencyCode: string, interchangeId: string) => {
    const r = await d.as('admin', 'PATCH', `/organisations/${await d.orgId(agencyCode)}`, { interchangeId });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
  };
  const addPeer = async (d: Deployment, entry: Record<string, unknown>) => {
    const r = await d.as('admin', 'POST', '/exchange/peers', { transport: 'ecms', ...entry });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    return r.body.id as number;
  };
  const certificateOf = async (d: Deployment) => (await d.as('admin', 'GET', '/exchange/identity')).body.certificatePem as string;

  before(async () => {
    relay = new Relay(() => `${b.url}/ecms/ws`);
    await relay.start();
    a = await Deployment.create('ecmsa', 'sqlite', { ECMS_ENABLED: 'true', ECMS_ORGANISATION_ID: ECMS_A });
    // B also answers to the relay's address (wsa:To names it).
    b = await Deployment.create('ecmsb', testDialect(), { ECMS_ENABLED: 'true', ECMS_ORGANISATION_ID: ECMS_B, ECMS_ENDPOINT_URLS: relay.url });
    // One after the other: two seeding at once on a loaded machine outlast the start timeout.
    await a.start();
    await b.start();
    peer = makeParty('12001');
    const bCert = path.join(tmpDir, 'deployment-b.crt');
    fs.writeFileSync(bCert, await certificateOf(b));
    peerServer = await startPeerServer(peer, bCert);
    await setEcmsId(a, 'สธ 02', ECMS_A);
    await setEcmsId(b, 'สธ 02', ECMS_B);
    await setEcmsId(b, 'ชม 0033', ECMS_B_CM);
    bCmAtA = await addPeer(a, { nameTh: 'สสจ.เชียงใหม่ (ECMS)', agencyCode: 'ชม 0033', ecmsOrganisationId: ECMS_B_CM, endpointUrl: `${b.url}/ecms/ws`, certificatePem: await certificateOf(b) });
    relayed = await addPeer(a, { nameTh: 'สสจ.เชียงใหม่ (ECMS ผ่านตัวกลาง)', agencyCode: 'ชม 0033 relay', ecmsOrganisationId: ECMS_B_CM, endpointUrl: relay.url, certificatePem: await certificateOf(b) });
    await addPeer(b, { nameTh: 'สำนักงานปลัดกระทรวง (ECMS)', agencyCode: 'สธ 02', ecmsOrganisationId: ECMS_A, endpointUrl: `${a.url}/ecms/ws`, certificatePem: await certificateOf(a) });
    await addPeer(b, { nameTh: 'กรมทดสอบ (xmlsec1)', agencyCode: 'ทส 0001', ecmsOrganisationId: peer.ecmsOrganisationId, endpointUrl: peerServer.url, certificatePem: peer.certificatePem });
  });
  after(async () => {
    await peerServer?.close();
    await relay?.close();
    await Promise.all([a?.drop(), b?.drop()]);
  });

  it('delivers a letter sent while the receiver was down exactly once, and brings the acceptance back with the receive number', async () => {
    await b.stop();
    const sent = await send(await a.numberedLetter('ECMS ระหว่างปลายทางดับ'));
    const waiting = await eventually('failed attempts are recorded', async () => {
      const d = (await a.delivery(sent.id)) as Delivery;
      return d.exchange && d.exchange.attempts >= 2 ? d : undefined;
    });
    expect(waiting.status).to.equal('queued');
    const outbox = async () => ((await a.as('admin', 'GET', '/exchange/outbox?limit=100')).body.items as Array<{ id: number; messageId: string }>).find((r) => r.id === waiting.exchange!.outboxId)!;
    const messageId = (await outbox()).messageId;
    expect(messageId, 'an ECMS MessageID of the sending organisation').to.match(new RegExp(`^mid://\\d{8}\\.\\d{9}@${ECMS_A}\\.`));
    await b.start();
    await statusAt(sent.id, 'delivered');
    expect((await outbox()).messageId, 'the retries kept the MessageID').to.equal(messageId);
    const [line, ...more] = await arrived('ECMS ระหว่างปลายทางดับ');
    expect(more, 'exactly one arrival').to.have.length(0);
    expect(line.sender.agencyCode).to.equal('สธ 02');
    expect(line.files.map((f) => f.size)).to.include(pdf.length);
    expect(line.files, 'the main file and the signed GovernmentDocument kept as proof').to.have.length(2);
    const accepted = await b.as('cm.clerk', 'POST', `/deliveries/${line.id}/accept`);
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200);
    const done = await statusAt(sent.id, 'received');
    expect(done.received?.number).to.equal(accepted.body.entry.number);
    expect((await inTray('ECMS ระหว่างปลายทางดับ')).length).to.equal(0);
    expect((await b.tray('cm.clerk', 'received')).filter((x) => x.letter.subject === 'ECMS ระหว่างปลายทางดับ')).to.have.length(1);
  });

  it('takes the duplicate_message answer to a retry after a lost response as delivered, and keeps one letter', async () => {
    relay.mode = 'lose-response';
    const sent = await send(await a.numberedLetter('ECMS คำตอบหาย'), relayed);
    // B's receive notifier may mark it delivered first: wait for the outbox to finish with it.
    const d = await eventually('the outbox row is sent', async () => {
      const x = (await a.delivery(sent.id)) as Delivery;
      return x.exchange?.status === 'sent' ? x : undefined;
    }, PATIENCE);
    expect(d.status).to.equal('delivered');
    expect(d.exchange!.attempts, 'sent again after the lost answer').to.be.at.least(2);
    expect(relay.bodies.map((x) => textOf(x.toString(), 'MessageID')).filter(Boolean), 'the retry carried the same MessageID').to.satisfy((ids: string[]) => ids.length >= 2 && new Set(ids).size === 1);
    const refusals = (await b.as('admin', 'GET', '/exchange/refusals?limit=100')).body.items as Array<{ reason: string }>;
    expect(refusals.map((r) => r.reason), 'B answered the retry as a duplicate').to.include('ecms_duplicate_message');
    expect(await inTray('ECMS คำตอบหาย')).to.have.length(1);
  });

  it('a rejection with its reason reaches the sender', async () => {
    const sent = await send(await a.numberedLetter('ECMS ปฏิเสธ'));
    const [line] = await arrived('ECMS ปฏิเสธ');
    expect((await b.as('cm.clerk', 'POST', `/deliveries/${line.id}/reject`, { reason: 'ไม่ใช่เรื่องของหน่วยงานนี้' })).status).to.equal(200);
    const rejected = await statusAt(sent.id, 'rejected');
    expect(rejected.reason).to.equal('ไม่ใช่เรื่องของหน่วยงานนี้');
  });

  it('a letter withdrawn before it was accepted leaves the far tray', async () => {
    const sent = await send(await a.numberedLetter('ECMS ถอนคืน'));
    await arrived('ECMS ถอนคืน');
    await statusAt(sent.id, 'delivered');
    expect((await a.as('clerk', 'POST', `/deliveries/${sent.id}/withdraw`, { reason: 'แก้ไขเนื้อหา' })).status).to.equal(200);
    await eventually('the withdrawn letter leaves B\'s tray', async () => ((await inTray('ECMS ถอนคืน')).length === 0 ? true : undefined));
    expect((await b.tray('cm.clerk', 'withdrawn')).filter((x) => x.letter.subject === 'ECMS ถอนคืน')).to.have.length(1);
  });

  it('takes a letter the xmlsec1 test peer signed into the tray once, and answers it with a ReceiveLetterNotifier xmlsec1 verifies', async () => {
    const doc = await governmentDocument({ letterNumber: 'ทส 0001/77', subject: 'ECMS จากระบบอื่น', sender: peer.ecmsOrganisationId, receiver: ECMS_B_CM, main: samplePdf, attachment: pdf }, peer);
    const xml = await envelope({ body: fill('outbound-request.xml', { PAYLOAD: doc }), to: `${b.url}/ecms/ws`, action: `${E}/CorrespondenceLetterOutboundRequest`, from: peer.ecmsOrganisationId }, peer);
    const res = await post(`${b.url}/ecms/ws`, xml, `${E}/CorrespondenceLetterOutboundRequest`);
    expect(res.status, res.text).to.equal(200);
    expect(textOf(res.text, 'ProcessID')).to.match(/^saraban-\d+$/);
    expect(textOf(res.text, 'Address'), 'answered by the organisation addressed').to.equal(`urn:th:gov:ecms:org:${ECMS_B_CM}`);
    const again = await post(`${b.url}/ecms/ws`, xml, `${E}/CorrespondenceLetterOutboundRequest`);
    expect(again.status, 'the same message again').to.equal(409);
    expect(textOf(again.text, 'Code')).to.equal('duplicate_message');
    const [line, ...more] = await arrived('ECMS จากระบบอื่น');
    expect(more).to.have.length(0);
    expect(line.letter.letterNumber).to.equal('ทส 0001/77');
    expect(line.sender.agencyCode).to.equal('ทส 0001');
    const receipt = await eventually('the peer receives a ReceiveLetterNotifier', async () => peerServer.received.find((r) => r.operation === 'CorrespondenceLetterOutboundRequest' && first(r.xml, 'ReceiveLetterNotifier')));
    expect(textOf(receipt.xml, 'LetterID')).to.equal('ทส 0001/77');
    expect(peerServer.refused, 'xmlsec1 verified every message B sent').to.have.length(0);
  });

  it('refuses a letter for an organisation that is not here, and lists the refusal with the ecms_ prefix', async () => {
    const doc = await governmentDocument({ letterNumber: 'ทส 0001/78', subject: 'ECMS ผิดที่', sender: peer.ecmsOrganisationId, receiver: '99999', main: samplePdf, attachment: pdf }, peer);
    const xml = await envelope({ body: fill('outbound-request.xml', { PAYLOAD: doc }), to: `${b.url}/ecms/ws`, action: `${E}/CorrespondenceLetterOutboundRequest`, from: peer.ecmsOrganisationId }, peer);
    const res = await post(`${b.url}/ecms/ws`, xml);
    expect(res.status).to.equal(403);
    expect(textOf(res.text, 'Code')).to.equal('not_for_us');
    const refusals = (await b.as('admin', 'GET', '/exchange/refusals?limit=100')).body.items as Array<{ reason: string; claimedSender: string | null }>;
    expect(refusals.find((r) => r.reason === 'ecms_not_for_us')?.claimedSender).to.equal(peer.ecmsOrganisationId);
    expect((await b.tray()).filter((x) => x.letter.subject === 'ECMS ผิดที่')).to.have.length(0);
  });
});
