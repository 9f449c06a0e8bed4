// The native exchange between two real Saraban deployments on loopback, each with its own database
// (SQLite and, in the MariaDB pass, MariaDB), data directory and exchange key: introductions, letters
// both ways with their receipts, rejection, return, withdrawal and resend; outages, a sender killed
// mid-send, duplicates and lost responses end with one letter in the tray and the right status at
// the sender; hostile requests are refused with 4xx, store nothing, and are listed for administrators.
import 'reflect-metadata';
import crypto from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { FlattenedSign } from 'jose';
import { expect } from 'chai';
import { testDialect } from '../helpers/env';
import { Deployment, Relay, eventually, pdf } from './helpers';

x509.cryptoProvider.set(crypto.webcrypto as never);

type Delivery = { id: number; status: string; reason: string | null; received: { number: number | null; year: number | null } | null; exchange?: { status: string; attempts: number; lastError: string | null; outboxId: number } | null; may: { resend: boolean } };

describe('native exchange between two deployments', function () {
  this.timeout(600_000);
  let a: Deployment; // the sender side mostly: SQLite
  let b: Deployment; // the receiver side mostly: MariaDB in the MariaDB pass
  let relay: Relay; // A → B goes through it
  let bAtA: number; // B's ชม 0033 in A's directory

  const send = async (from: Deployment, docId: number, agencyId: number, username = 'clerk') => {
    const r = await from.as(username, 'POST', `/documents/${docId}/send`, { recipients: [{ agencyId }] });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    return r.body.items[0] as Delivery;
  };
  const statusAt = (d: Deployment, id: number, status: string, username = 'clerk') =>
    eventually(`delivery ${id} at ${d.name} becomes ${status}`, async () => {
      const x = (await d.delivery(id, username)) as Delivery;
      return x.status === status ? x : undefined;
    });
  const arrived = (d: Deployment, subject: string, username = 'cm.clerk') =>
    eventually(`"${subject}" in ${d.name}'s tray`, async () => {
      const rows = (await d.tray(username)).filter((x) => x.letter.subject === subject);
      return rows.length ? rows : undefined;
    });
  const countInTray = async (d: Deployment, subject: string) => (await d.tray()).filter((x) => x.letter.subject === subject).length;

  before(async () => {
    a = await Deployment.create('a', 'sqlite');
    b = await Deployment.create('b', testDialect());
    await Promise.all([a.start(), b.start()]);
    relay = new Relay(() => b.inbox);
    await relay.start();
  });
  after(async () => {
    await relay?.close();
    await Promise.all([a?.drop(), b?.drop()]);
  });

  it('introduces the two deployments with signed files whose fingerprint is the signer\'s certificate', async () => {
    const fromB = await b.introduce('ชม 0033');
    const fromA = await a.introduce('สธ 02');
    const peerB = await a.importPeer(fromB.file, relay.url);
    const peerA = await b.importPeer(fromA.file);
    expect(peerB.certificateSha256).to.equal((await b.as('admin', 'GET', '/exchange/identity')).body.certificateSha256);
    expect(peerA.certificateSha256).to.equal(fromA.certificateSha256);
    expect(peerA.certificateSha256).to.not.equal(peerB.certificateSha256);
    bAtA = peerB.id;
    // The other way round too: B's central office writes to A's Chiang Mai office.
    await a.importPeer((await b.introduce('สธ 02')).file);
    await b.importPeer((await a.introduce('ชม 0033')).file);
    const identity = (await a.as('admin', 'GET', '/exchange/identity')).body;
    expect(JSON.stringify(identity)).to.not.match(/PRIVATE KEY/);
    expect((await a.as('clerk', 'POST', '/exchange/peers/import', { file: fromB.file })).status, 'a clerk does not manage the directory').to.equal(403);
    expect((await a.as('cm.admin', 'GET', '/exchange/identity')).status, 'an administrator below the top does not either').to.equal(403);
  });

  it('carries a letter A → B once, with its file, and brings the receipt back with the receive number', async () => {
    const docId = await a.numberedLetter('แลกเปลี่ยน ก ถึง ข');
    const sent = await send(a, docId, bAtA);
    expect(sent.status).to.equal('queued');
    const [line] = await arrived(b, 'แลกเปลี่ยน ก ถึง ข');
    expect(line.sender.agencyCode).to.equal('สธ 02');
    expect(line.files).to.have.length(1);
    const file = await fetch(`${b.base}/deliveries/${line.id}/files/${line.files[0].id}`, { headers: { authorization: `Bearer ${await b.token('cm.clerk')}` } });
    expect(Buffer.from(await file.arrayBuffer()).equals(pdf), 'the file arrives as sent').to.equal(true);
    await statusAt(a, sent.id, 'delivered');
    const accepted = await b.as('cm.clerk', 'POST', `/deliveries/${line.id}/accept`);
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200);
    const done = await statusAt(a, sent.id, 'received');
    expect(done.received?.number).to.equal(accepted.body.entry.number);
    expect(await countInTray(b, 'แลกเปลี่ยน ก ถึง ข')).to.equal(0);
  });

  it('B → A: rejected with a reason, then resent and accepted', async () => {
    const docId = await b.numberedLetter('แลกเปลี่ยน ข ถึง ก');
    const agencies = (await b.as('clerk', 'GET', '/exchange/peers')).body.items as Array<{ id: number; agencyCode: string }>;
    const toA = agencies.find((p) => p.agencyCode === 'ชม 0033')!.id;
    const sent = await send(b, docId, toA);
    const [line] = await arrived(a, 'แลกเปลี่ยน ข ถึง ก');
    expect((await a.as('cm.clerk', 'POST', `/deliveries/${line.id}/reject`, { reason: 'ไม่ใช่เรื่องของหน่วยงานนี้' })).status).to.equal(200);
    const rejected = await statusAt(b, sent.id, 'rejected');
    expect(rejected.reason).to.equal('ไม่ใช่เรื่องของหน่วยงานนี้');
    expect(rejected.may.resend).to.equal(true);
    const again = await b.as('clerk', 'POST', `/deliveries/${sent.id}/resend`);
    expect(again.status, JSON.stringify(again.body)).to.equal(201);
    const lines = await eventually('the resent letter waits in A\'s tray', async () => {
      const rows = (await a.tray()).filter((x) => x.letter.subject === 'แลกเปลี่ยน ข ถึง ก');
      return rows.length ? rows : undefined;
    });
    expect(lines).to.have.length(1);
    expect((await a.as('cm.clerk', 'POST', `/deliveries/${lines[0].id}/accept`)).status).to.equal(200);
    await statusAt(b, again.body.id, 'received');
  });

  it('a letter withdrawn after it arrived leaves the far tray; one returned as wrong recipient comes back', async () => {
    const first = await send(a, await a.numberedLetter('ถอนคืน'), bAtA);
    await arrived(b, 'ถอนคืน');
    await statusAt(a, first.id, 'delivered');
    expect((await a.as('clerk', 'POST', `/deliveries/${first.id}/withdraw`, { reason: 'แก้ไขเนื้อหา' })).status).to.equal(200);
    await eventually('the withdrawn letter leaves B\'s tray', async () => ((await countInTray(b, 'ถอนคืน')) === 0 ? true : undefined));

    const second = await send(a, await a.numberedLetter('ส่งผิดที่'), bAtA);
    const [line] = await arrived(b, 'ส่งผิดที่');
    expect((await b.as('cm.clerk', 'POST', `/deliveries/${line.id}/return`, {})).status).to.equal(200);
    const back = await statusAt(a, second.id, 'returned');
    expect(back.reason).to.equal('ส่งผิดหน่วยงาน');
  });

  it('waits while the receiver is down and delivers once when it is back', async () => {
    await b.stop();
    const sent = await send(a, await a.numberedLetter('ระหว่างปลายทางดับ'), bAtA);
    const waiting = await eventually('a failed attempt is recorded', async () => {
      const d = (await a.delivery(sent.id)) as Delivery;
      return d.exchange && d.exchange.attempts >= 2 ? d : undefined;
    });
    expect(waiting.status).to.equal('queued');
    expect(waiting.exchange!.lastError).to.match(/502|down|fetch/i);
    await b.start();
    await statusAt(a, sent.id, 'delivered');
    expect(await countInTray(b, 'ระหว่างปลายทางดับ')).to.equal(1);
  });

  it('declares a letter not delivered after the give-up time, with the last error; an administrator retries it and it lands once', async () => {
    await b.stop();
    const sent = await send(a, await a.numberedLetter('เลยเวลาส่ง'), bAtA);
    await eventually('a failed attempt is recorded', async () => ((await a.delivery(sent.id)).exchange?.attempts ?? 0) >= 1 || undefined);
    // The clock, faked: the letter has waited longer than EXCHANGE_GIVE_UP_MINUTES (72 h by default).
    await a.sql('UPDATE exchange_outbox SET queuedAt = ? WHERE deliveryId = ?', [new Date(Date.now() - 73 * 3_600_000), sent.id]);
    const given = await statusAt(a, sent.id, 'failed');
    expect(given.reason).to.match(/^ส่งไม่สำเร็จ \(not delivered\): .*(502|down|fetch)/i);
    const listed = ((await a.as('admin', 'GET', '/exchange/outbox?status=failed')).body.items as Array<{ id: number; deliveryId: number; lastError: string }>).find((x) => x.deliveryId === sent.id);
    expect(listed?.lastError).to.match(/502|down|fetch/i);
    await b.start();
    expect((await a.as('clerk', 'POST', `/exchange/outbox/${listed!.id}/retry`)).status, 'administrators only').to.equal(403);
    const retried = await a.as('admin', 'POST', `/exchange/outbox/${listed!.id}/retry`);
    expect(retried.status, JSON.stringify(retried.body)).to.equal(200);
    await statusAt(a, sent.id, 'delivered');
    expect(await countInTray(b, 'เลยเวลาส่ง')).to.equal(1);
  });

  it('delivers once a letter whose sender was killed between commit and delivery', async () => {
    await b.stop();
    const sent = await send(a, await a.numberedLetter('ผู้ส่งดับกลางทาง'), bAtA);
    await a.stop('SIGKILL');
    await b.start();
    await a.start();
    await statusAt(a, sent.id, 'delivered');
    expect(await countInTray(b, 'ผู้ส่งดับกลางทาง')).to.equal(1);
  });

  it('keeps one letter when the same envelope arrives twice, and when the answer was lost after the receiver stored it', async () => {
    relay.mode = 'duplicate';
    const twice = await send(a, await a.numberedLetter('ส่งซ้ำสองครั้ง'), bAtA);
    await statusAt(a, twice.id, 'delivered');
    relay.mode = 'lose-response';
    const lost = await send(a, await a.numberedLetter('คำตอบหาย'), bAtA);
    const d = await statusAt(a, lost.id, 'delivered');
    expect(d.exchange!.attempts, 'sent again after the lost answer').to.be.at.least(2);
    expect(await countInTray(b, 'ส่งซ้ำสองครั้ง')).to.equal(1);
    expect(await countInTray(b, 'คำตอบหาย')).to.equal(1);
  });

  describe('hostile requests to the inbox', () => {
    let genuine: string; // an envelope A signed, as the relay saw it
    const post = (body: string | Buffer, type = 'application/jose+json') => fetch(b.inbox, { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : new Uint8Array(body) });
    const refusals = async () => (await b.as('admin', 'GET', '/exchange/refusals?limit=500')).body.items as Array<{ reason: string; status: number; claimedSender: string | null }>;
    const refusedWith = async (reason: string) => (await refusals()).filter((r) => r.reason === reason).length;

    before(async () => {
      relay.mode = 'pass';
      relay.bodies = [];
      const sent = await send(a, await a.numberedLetter('ต้นแบบของผู้บุกรุก'), bAtA);
      await statusAt(a, sent.id, 'delivered');
      genuine = relay.bodies.map((x) => x.toString()).find((x) => Buffer.from(JSON.parse(x).payload, 'base64url').toString().includes('ต้นแบบของผู้บุกรุก'))!;
      expect(genuine).to.be.a('string');
    });

    async function expectRefused(request: () => Promise<Response>, status: number, reason: string, subject?: string) {
      const before = await refusedWith(reason);
      const res = await request();
      const body = (await res.json()) as { error: { code: string } };
      expect(res.status, JSON.stringify(body)).to.equal(status);
      expect(body.error.code).to.equal(reason);
      expect(await refusedWith(reason), 'an administrator-visible record').to.equal(before + 1);
      if (subject) expect(await countInTray(b, subject), 'nothing reaches the clerks').to.equal(0);
    }

    it('refuses a body altered after signing', async () => {
      const jws = JSON.parse(genuine);
      const payload = JSON.parse(Buffer.from(jws.payload, 'base64url').toString());
      payload.messageId = `${payload.messageId}x`;
      payload.letter.subject = 'แก้ไขหลังลงนาม';
      jws.payload = Buffer.from(JSON.stringify(payload)).toString('base64url');
      await expectRefused(() => post(JSON.stringify(jws)), 401, 'bad_signature', 'แก้ไขหลังลงนาม');
    });

    it('refuses an envelope signed by a certificate the directory does not hold for its sender', async () => {
      const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
      const keys = (await crypto.webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as crypto.webcrypto.CryptoKeyPair;
      const cert = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '01', name: 'CN=Impostor', notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000), keys, signingAlgorithm: alg });
      const payload = JSON.parse(Buffer.from(JSON.parse(genuine).payload, 'base64url').toString());
      Object.assign(payload, { messageId: `mid://impostor.${Date.now()}`, issuedAt: new Date().toISOString() });
      payload.letter.subject = 'จากผู้แอบอ้าง';
      const key = crypto.KeyObject.from(keys.privateKey as unknown as crypto.webcrypto.CryptoKey);
      const jws = await new FlattenedSign(Buffer.from(JSON.stringify(payload))).setProtectedHeader({ alg: 'ES256', typ: 'saraban-letter+jws', x5c: [Buffer.from(cert.rawData).toString('base64')] }).sign(key);
      await expectRefused(() => post(JSON.stringify(jws)), 401, 'unknown_certificate', 'จากผู้แอบอ้าง');
    });

    it('answers a second delivery of a fresh envelope with the same acknowledgement, and refuses it once stale', async () => {
      relay.bodies = [];
      const sent = await send(a, await a.numberedLetter('ส่งซ้ำโดยผู้อื่น'), bAtA);
      await statusAt(a, sent.id, 'delivered');
      const fresh = relay.bodies.map((x) => x.toString()).find((x) => Buffer.from(JSON.parse(x).payload, 'base64url').toString().includes('ส่งซ้ำโดยผู้อื่น'))!;
      const again = await post(fresh);
      expect(again.status).to.equal(200);
      expect(((await again.json()) as { duplicate: boolean }).duplicate).to.equal(true);
      expect(await countInTray(b, 'ส่งซ้ำโดยผู้อื่น')).to.equal(1);
      await new Promise((r) => setTimeout(r, 11_500)); // past EXCHANGE_MAX_AGE_MS + skew of the test servers
      await expectRefused(() => post(fresh), 401, 'stale');
      expect(await countInTray(b, 'ส่งซ้ำโดยผู้อื่น')).to.equal(1);
    });

    it('refuses a letter for an agency that is not here, and the sender keeps the error', async () => {
      const fake = await a.as('admin', 'POST', '/exchange/peers', {
        nameTh: 'หน่วยงานที่ไม่มีอยู่', agencyCode: 'นอ 9999', transport: 'saraban', endpointUrl: b.inbox,
        certificatePem: (await b.as('admin', 'GET', '/exchange/identity')).body.certificatePem,
      });
      expect(fake.status, JSON.stringify(fake.body)).to.equal(201);
      const before = await refusedWith('wrong_recipient');
      const sent = await send(a, await a.numberedLetter('ถึงหน่วยงานอื่น'), fake.body.id);
      const waiting = await eventually('the refusal reaches the sender', async () => {
        const d = (await a.delivery(sent.id)) as Delivery;
        return d.exchange?.lastError ? d : undefined;
      });
      expect(waiting.exchange!.lastError).to.match(/422.*นอ 9999/);
      expect(await refusedWith('wrong_recipient')).to.be.greaterThan(before);
      expect(await countInTray(b, 'ถึงหน่วยงานอื่น')).to.equal(0);
      expect((await a.as('clerk', 'POST', `/deliveries/${sent.id}/withdraw`)).status).to.equal(200); // stops the retries
    });

    it('refuses an oversized body with 413 and malformed JSON with 400', async () => {
      await expectRefused(() => post(Buffer.alloc(2_500_000, 0x61)), 413, 'too_large');
      await expectRefused(() => post('{"payload": "x", "protected": ', 'application/json'), 400, 'malformed');
      await expectRefused(() => post('{"payload":"e30","protected":"e30","signature":"AA"}'), 401, 'unknown_sender');
    });

    it('shows the refusals to the top administrators only', async () => {
      expect((await b.as('cm.clerk', 'GET', '/exchange/refusals')).status).to.equal(403);
      expect((await b.as('clerk', 'GET', '/exchange/refusals')).status).to.equal(403);
      const reasons = new Set((await refusals()).map((r) => r.reason));
      for (const r of ['bad_signature', 'unknown_certificate', 'stale', 'wrong_recipient', 'too_large', 'malformed']) expect(reasons, r).to.include(r);
    });
  });
});
