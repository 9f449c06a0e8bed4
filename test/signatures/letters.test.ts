// The ลงนาม step of the outgoing process, end to end through the API with the product's own
// renderer (the letters' Chromium pool): the number and date are taken in the signing transaction
// and printed on the signed letter; a refusal takes no number; a received copy gets the receive
// stamp and endorsements as incremental updates, and pdfsig still finds the signature valid.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { testOutputDir } from '../helpers/env';
import { expect } from 'chai';
import type { Response } from 'supertest';
import { Attachment, AuditRecord, RegisterCounter, Task } from '../../server/db/models';
import { buddhistYear, thaiDateOnlyFull } from '../../server/lib/thai-date';
import { setAppearanceRenderer } from '../../server/modules/signatures/appearance';
import { stampsSettled } from '../../server/modules/signatures/letters';
import { signingSteps } from '../../server/modules/signatures/service';
import { closeRenderer, renderHtmlToPdf } from '../../server/modules/letters/render';
import { api, buildPosition, buildUser, login, Session } from '../helpers/factories';
import { complete, taskOf } from '../helpers/workflow';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber } from '@cantoo/pdf-lib';
import { pageTexts, textLines } from '../letters/helpers';
import { as, incomingLetter, outgoingLetter, registerOf } from '../registry/helpers';
import { buildSigner, freshGrant, PIN, Signer, useSigningKit } from './helpers';
import { pdfsig } from './tools';

/** Each signature widget: its page (0-based) and /Rect, read with pdf-lib. */
async function signatureWidgets(pdf: Buffer): Promise<Array<{ page: number; rect: number[] }>> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  return doc.getPages().flatMap((page, index) => (page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)?.asArray() ?? [])
    .map((ref) => doc.context.lookup(ref, PDFDict))
    .filter((a) => a.get(PDFName.of('FT')) === PDFName.of('Sig'))
    .map((a) => ({ page: index, rect: (a.lookup(PDFName.of('Rect'), PDFArray).asArray() as PDFNumber[]).map((n) => n.asNumber()) })));
}

const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('signatures: the outgoing letter\'s ลงนาม step', function () {
  this.timeout(180000);
  useSigningKit();
  let orgId: number;
  let signer: Signer;
  let author: Session;
  let caPem: string;
  let outgoingBook: number;
  before(async function () {
    this.timeout(120000);
    // The product's wiring (server/serve.ts): blocks and stamps drawn by the letters' pool.
    setAppearanceRenderer((html) => renderHtmlToPdf(html));
    const clerk = await as('clerk');
    orgId = (await api().get('/api/me').set(clerk.auth)).body.organisation.id;
    signer = await buildSigner(orgId);
    // The author's post reports to the signer's: the review step (supervisor) is the signer's.
    const post = await buildPosition(orgId, signer.user.positionId);
    author = await login((await buildUser(orgId, { roles: ['staff'], positionId: post.id })).username);
    const authorities = (await api().get('/api/signatures/authorities').set(clerk.auth)).body.items;
    caPem = authorities.find((x: { organisationId: number }) => x.organisationId === orgId).certificatePem;
    outgoingBook = await registerOf(clerk, 'outgoing');
  });
  after(async function () {
    this.timeout(30000);
    await closeRenderer();
  });

  /** A letter drafted by the author and sent up for signing: the signer's ลงนาม task is open. */
  async function atSigningStep(subject: string): Promise<{ documentId: number; instanceId: number }> {
    const doc = await api().post('/api/documents').set(author.auth).send(outgoingLetter({ subject, signerName: null, signerPosition: null }));
    expect(doc.status, JSON.stringify(doc.body)).to.equal(201);
    const started = await api().post('/api/workflow/instances').set(author.auth).send({ processKey: 'outgoing_letter', documentId: doc.body.id });
    expect(started.status, JSON.stringify(started.body)).to.equal(201);
    const instanceId = started.body.instance.id;
    await complete(author, (await taskOf(author, instanceId, 'draft')).id, { subject, addressee: 'ผู้ว่าราชการจังหวัดเชียงใหม่' });
    await complete(signer.session, (await taskOf(signer.session, instanceId, 'review')).id, { decision: 'sign', endorsement: 'เห็นควรลงนาม' });
    await taskOf(signer.session, instanceId, 'sign');
    return { documentId: doc.body.id, instanceId };
  }
  const lastNumber = async () => (await RegisterCounter.findOne({ where: { registerId: outgoingBook, year: buddhistYear(new Date()) } }))?.lastNumber ?? 0;
  const sign = async (documentId: number, body: Record<string, unknown>, who = signer.session) => api().post(`/api/documents/${documentId}/sign`).set(who.auth).send(body);

  it('numbers, dates, draws and signs the letter in one step; pdfsig finds it valid and trusted, and the number and date are printed on it', async () => {
    const { documentId, instanceId } = await atSigningStep('ขอส่งรายงานผลการดำเนินงานประจำปี (ลงนามอิเล็กทรอนิกส์)');
    const before = await lastNumber();
    const res = await sign(documentId, { pin: PIN, signingGrant: await freshGrant(signer.session) });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ registerId: outgoingBook, registerNumber: before + 1, level: 'B-LT', stepCompleted: true });
    expect(await lastNumber()).to.equal(before + 1);

    const doc = (await api().get(`/api/documents/${documentId}`).set(signer.session.auth)).body;
    expect(doc.status).to.equal('registered');
    expect(doc.letterNumber).to.equal(res.body.letterNumber);
    // The letter page shows the signed file itself.
    const letter = await api().get(`/api/documents/${documentId}/letter`).set(author.auth).buffer(true).parse(binary);
    expect(letter.status).to.equal(200);
    const pdf = letter.body as Buffer;
    const check = await pdfsig(pdf, [caPem]);
    expect(check.signatures, check.output).to.have.length(1);
    expect(check.signatures[0].valid && check.signatures[0].trusted, check.output).to.equal(true);
    const text = pageTexts(pdf).join('');
    expect(text).to.include(String(res.body.letterNumber).replace(/\s+/g, ''));
    expect(text).to.include(thaiDateOnlyFull(doc.letterDate).replace(/\s+/g, '')); // the date, full Thai month and B.E. year
    expect(text).to.include(signer.user.lastNameTh);
    expect(text).to.include(res.body.verificationCode);
    // The visible signature sits in the letter's signature space: on the page of the signer's name,
    // between the closing and the name in parentheses (as poppler sees them), centred over the name;
    // the name is printed once (by the letter), not again by the signature.
    const [widget] = await signatureWidgets(pdf);
    const { height, lines } = textLines(pdf)[widget.page];
    const name = lines.find((l) => l.text === `(${doc.signerName.replace(/\s+/g, '')})`);
    const closing = lines.find((l) => l.text === 'ขอแสดงความนับถือ');
    expect(name && closing, JSON.stringify(lines.map((l) => l.text))).to.be.ok;
    const [x1, y1, x2, y2] = widget.rect;
    expect(height - y2, 'top of the signature').to.be.at.least(closing!.yMax - 1);
    expect(height - y1, 'foot of the signature').to.be.at.most(name!.yMin);
    expect(y2 - y1).to.be.greaterThan(30);
    expect((x1 + x2) / 2).to.be.closeTo((name!.xMin + name!.xMax) / 2, 6);
    expect(text.split(signer.user.lastNameTh).length - 1, 'the name once').to.equal(1);
    expect(text).to.include('ลงนามแบบอิเล็กทรอนิกส์');
    // For a human look: the signed letter and its pages as PNG.
    const out = testOutputDir('signatures');
    fs.writeFileSync(path.join(out, 'signed-letter.pdf'), pdf);
    execFileSync('pdftoppm', ['-png', '-r', '60', path.join(out, 'signed-letter.pdf'), path.join(out, 'signed-letter')]);
    const main = await Attachment.findAll({ where: { documentId, role: 'main' } });
    expect(main).to.have.length(1);

    // The ลงนาม step is done: the letter went on to the registry for numbering-and-sending.
    const signStep = await Task.findOne({ where: { instanceId, elementId: 'sign' } });
    expect(signStep!.status).to.equal('completed');
    await taskOf(await as('clerk'), instanceId, 'dispatch');
    // Signing again is refused: it is numbered.
    expect((await sign(documentId, { pin: PIN, signingGrant: await freshGrant(signer.session) })).status).to.equal(409);
  });

  it('draws the letter ahead, outside the transaction that numbers it; when another letter takes that number meanwhile, draws it again with the number it gets', async () => {
    const saved = { ...signingSteps };
    const drawings: string[] = [];
    signingSteps.drawing = (where) => drawings.push(where);
    try {
      const first = await atSigningStep('ขอเชิญประชุมคณะทำงาน (วาดไว้ก่อนออกเลข)');
      const one = await sign(first.documentId, { pin: PIN, signingGrant: await freshGrant(signer.session) });
      expect(one.status, JSON.stringify(one.body)).to.equal(200);
      expect(drawings, 'drawn once, ahead: the numbering transaction does not wait for Chromium').to.deep.equal(['ahead']);

      drawings.length = 0;
      const second = await atSigningStep('ขอเชิญประชุมคณะทำงาน (เลขถูกใช้ไปก่อน)');
      const clerk = await as('clerk');
      let reserved = 0;
      signingSteps.beforeNumbering = async () => {
        // Between the drawing and the numbering, the clerk reserves the number the letter was drawn with.
        const r = await api().post(`/api/registers/${outgoingBook}/entries`).set(clerk.auth).send({ note: 'สำรองเลขระหว่างลงนาม' });
        expect(r.status, JSON.stringify(r.body)).to.equal(201);
        reserved = r.body.entry.number;
      };
      const two = await sign(second.documentId, { pin: PIN, signingGrant: await freshGrant(signer.session) });
      expect(two.status, JSON.stringify(two.body)).to.equal(200);
      expect(drawings, 'drawn again inside, with the number it got').to.deep.equal(['ahead', 'inside']);
      expect(two.body.registerNumber).to.equal(reserved + 1);
      const pdf = (await api().get(`/api/documents/${second.documentId}/letter`).set(author.auth).buffer(true).parse(binary)).body as Buffer;
      const text = pageTexts(pdf).join('');
      expect(text, 'the number it got is printed').to.include(String(two.body.letterNumber).replace(/\s+/g, ''));
      const check = await pdfsig(pdf, [caPem]);
      expect(check.signatures[0]?.valid, check.output).to.equal(true);
    } finally {
      Object.assign(signingSteps, saved);
    }
  });

  it('refuses a wrong PIN, a missing sign-in check, a malformed request and someone not at the step — in Thai, and no number is taken', async () => {
    const { documentId } = await atSigningStep('ขออนุมัติจัดซื้อวัสดุสำนักงาน');
    const before = await lastNumber();
    const wrong = await sign(documentId, { pin: '000000', signingGrant: await freshGrant(signer.session) });
    expect(wrong.status).to.equal(403);
    expect(wrong.body.error.message).to.include('รหัส PIN สำหรับลงนามไม่ถูกต้อง');
    const noCheck = await sign(documentId, { pin: PIN, signingGrant: 'not-a-grant' });
    expect(noCheck.status).to.equal(401);
    expect(noCheck.body.error.message).to.include('ยืนยันรหัสผ่าน');
    const bad = await sign(documentId, { pin: 'short' });
    expect(bad.status).to.equal(400);
    const other = await buildSigner(orgId);
    const notSigner = await sign(documentId, { pin: PIN, signingGrant: await freshGrant(other.session) }, other.session);
    // The letter is readable in the organisation, but the step is someone else's.
    expect(notSigner.status).to.equal(403);
    expect(notSigner.body.error.message).to.include('ลงนาม');
    expect(await lastNumber()).to.equal(before);
    const doc = (await api().get(`/api/documents/${documentId}`).set(signer.session.auth)).body;
    expect(doc.status).to.equal('draft');
    expect(doc.letterNumber).to.equal(null);
    expect(await Attachment.count({ where: { documentId } })).to.equal(0);
  });

  it('refuses a signer whose certificate was revoked (422, Thai) and takes no number; the typed name stays their way to sign', async () => {
    const { documentId, instanceId } = await atSigningStep('ขอเชิญประชุมคณะทำงาน');
    expect((await api().post(`/api/signatures/credentials/${signer.credentialId}/revoke`).set(signer.session.auth).send({ reason: 'ทดสอบ' })).status).to.equal(200);
    try {
      const before = await lastNumber();
      const res = await sign(documentId, { pin: PIN, signingGrant: await freshGrant(signer.session) });
      expect(res.status).to.equal(422);
      expect(res.body.error.message).to.include('เพิกถอน');
      expect(await lastNumber()).to.equal(before);
      // The 2564 amendment's typed name: the step completed as before, the letter says so.
      await complete(signer.session, (await taskOf(signer.session, instanceId, 'sign')).id, { signerName: 'นายสมชาย ใจดี', signerPosition: 'ผู้อำนวยการกอง' });
      const text = await api().get(`/api/documents/${documentId}/letter/text`).set(author.auth);
      expect(text.status).to.equal(200);
    } finally {
      const issued = await api().post('/api/signatures/credentials').set(signer.session.auth).send({ pin: PIN });
      expect(issued.status).to.equal(201);
    }
  });

  it('stamps a received signed letter (ตรารับ, then two เกษียน) as new versions of its PDF, and the sender\'s signature stays valid in pdfsig', async () => {
    const { documentId } = await atSigningStep('ขอส่งสำเนาคำสั่งแต่งตั้งคณะกรรมการ');
    const signed = await sign(documentId, { pin: PIN, signingGrant: await freshGrant(signer.session) });
    expect(signed.status, JSON.stringify(signed.body)).to.equal(200);
    const sent = (await api().get(`/api/documents/${documentId}/letter`).set(author.auth).buffer(true).parse(binary)).body as Buffer;

    const clerk = await as('clerk');
    const incoming = await api().post('/api/documents').set(clerk.auth).send(incomingLetter({ subject: 'รับหนังสือที่ลงนามอิเล็กทรอนิกส์' }));
    expect(incoming.status).to.equal(201);
    const id = incoming.body.id;
    expect((await api().post(`/api/documents/${id}/attachments`).set(clerk.auth).field('role', 'main').attach('file', sent, 'letter.pdf')).status).to.equal(201);
    const reg = await api().post(`/api/registers/${await registerOf(clerk, 'incoming')}/entries`).set(clerk.auth).send({ documentId: id });
    expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
    await stampsSettled(id);
    for (const text of ['เรียน ผอ.กอง เพื่อโปรดพิจารณา', 'ทราบ มอบกลุ่มงานสารบรรณดำเนินการ']) {
      expect((await api().post(`/api/documents/${id}/endorsements`).set(clerk.auth).send({ text })).status).to.equal(201);
      await stampsSettled(id);
    }
    // One main file whose content moved on three times (ตรารับ, two เกษียน); the audit keeps each version's fingerprint.
    const main = await Attachment.findAll({ where: { documentId: id, role: 'main' } });
    expect(main).to.have.length(1);
    const stamps = await AuditRecord.findAll({ where: { entityType: 'attachment', entityId: String(main[0].id), action: 'attachment.stamped' }, order: [['id', 'ASC']] });
    expect(stamps.map((r) => JSON.parse(String(r.data)).stamp)).to.deep.equal(['receive', 'endorsement', 'endorsement']);
    const res = await api().get(`/api/attachments/${main[0].id}/content`).set(clerk.auth).buffer(true).parse(binary);
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, sent.length).equals(sent), 'each stamp is appended: the signed bytes are unchanged').to.equal(true);
    expect((pdf.toString('latin1').match(/\/Subtype\s*\/Stamp/g) ?? []).length).to.equal(3);
    const check = await pdfsig(pdf, [caPem]);
    expect(check.signatures, check.output).to.have.length(1);
    expect(check.signatures[0].valid && check.signatures[0].trusted, check.output).to.equal(true);
    const text = pageTexts(pdf).join('');
    expect(text).to.include(`เลขรับ${reg.body.entry?.number ?? reg.body.number}`);
  });

  it('answers 503 in one clear line when there is no renderer, and takes no number', async () => {
    const { documentId } = await atSigningStep('ขอความอนุเคราะห์ข้อมูลสถิติ');
    const before = await lastNumber();
    const saved = process.env.CHROMIUM_PATH;
    await closeRenderer();
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    try {
      const res = await sign(documentId, { pin: PIN, signingGrant: await freshGrant(signer.session) });
      expect(res.status).to.equal(503);
      expect(res.body.error.message).to.match(/install Debian's chromium/);
      expect(await lastNumber()).to.equal(before);
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });
});
