// PAdES signing checked by independent verifiers: poppler's pdfsig (trust through an NSS database)
// and `openssl ts -verify`, as well as the server's own verification.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { testOutputDir } from '../helpers/env';
import { expect } from 'chai';
import { SignatureRecord } from '../../server/db/models';
import { stampEndorsement, stampReceive } from '../../server/modules/signatures/service';
import { api, login, Session } from '../helpers/factories';
import { verifyPdf } from '../../server/modules/signatures/verify-pdf';
import { buildSigner, signThroughApi, timestampOf, useSigningKit, verifyThroughApi, Signer } from './helpers';
import { opensslVerifyToken, pdfsig } from './tools';

describe('signing letters (PAdES) and verifying them', function () {
  this.timeout(120000);
  const kit = useSigningKit();
  let orgId: number;
  let a: Signer;
  let b: Signer;
  let caPem: string;
  let clerk: Session;
  before(async () => {
    clerk = await login('clerk');
    orgId = (await api().get('/api/me').set(clerk.auth)).body.organisation.id;
    a = await buildSigner(orgId);
    b = await buildSigner(orgId);
    const authorities = (await api().get('/api/signatures/authorities').set(clerk.auth)).body.items;
    caPem = authorities.find((x: { organisationId: number }) => x.organisationId === orgId).certificatePem;
  });

  it('signs a two-page Thai letter as B-LT that pdfsig reports "Signature is Valid / Certificate is Trusted", with a time-stamp openssl verifies', async () => {
    const signed = await signThroughApi(a, kit.letter);
    expect(signed.status, signed.json && JSON.stringify(signed.json)).to.equal(200);
    expect(signed.level).to.equal('B-LT');
    expect(signed.pdf.subarray(0, kit.letter.length).equals(kit.letter), 'an incremental update keeps the original bytes').to.equal(true);
    const check = await pdfsig(signed.pdf, [caPem]);
    expect(check.signatures, check.output).to.have.length(1);
    expect(check.signatures[0].valid, check.output).to.equal(true);
    expect(check.signatures[0].trusted, check.output).to.equal(true);
    expect(check.output).to.include('ETSI.CAdES.detached');
    expect(check.output).to.include(a.user.lastNameTh);

    const { token, signatureValue } = timestampOf(signed.pdf, 0);
    expect(await opensslVerifyToken(token, signatureValue, kit.tsa)).to.match(/Verification: OK/);

    const report = await verifyThroughApi(clerk, signed.pdf);
    expect(report.status).to.equal(200);
    const [sig] = report.body.signatures;
    // B-LT: the DSS is one more update after the signature, so it covers the revision before it.
    expect(sig).to.include({ status: 'valid', integrity: true, signingCertificateBound: true, coverage: 'earlier_revision', laterChanges: 'validation_data', level: 'B-LT' });
    expect(sig.chain.status).to.equal('trusted');
    expect(sig.revocation.status).to.equal('good');
    expect(sig.timestamp).to.include({ valid: true, tsa: 'Saraban Test TSA' });
    expect(sig.signer.commonName).to.equal(`นายสมชาย ${a.user.lastNameTh}`);
    expect(report.body.verificationCode).to.equal(signed.code);
  });

  it('keeps every earlier signature valid after a second signature, the receive stamp and two endorsements', async () => {
    const first = await signThroughApi(a, kit.letter);
    const second = await signThroughApi(b, first.pdf);
    expect(second.status).to.equal(200);
    let pdf = await stampReceive({ pdf: second.pdf, organisationId: orgId, receiveNumber: '1234/2569', receivedAt: new Date() });
    pdf = await stampEndorsement({ pdf, index: 0, text: 'เรียน ผอ.กอง เพื่อโปรดพิจารณา', nameTh: 'นางสาวสมศรี มีสุข', positionTh: 'นักจัดการงานทั่วไป', at: new Date() });
    pdf = await stampEndorsement({ pdf, index: 1, text: 'ทราบ มอบกลุ่มงานสารบรรณดำเนินการ', nameTh: 'นายวิชัย ทองดี', positionTh: 'ผู้อำนวยการกองกลาง', at: new Date() });
    expect(pdf.subarray(0, second.pdf.length).equals(second.pdf)).to.equal(true);
    expect((pdf.toString('latin1').match(/\/Subtype\s*\/Stamp/g) ?? []).length).to.equal(3);
    // For a human look: the signed, stamped and endorsed letter and its pages as PNG.
    const out = testOutputDir('signatures');
    fs.writeFileSync(path.join(out, 'signed-stamped-endorsed.pdf'), pdf);
    execFileSync('pdftoppm', ['-png', '-r', '60', path.join(out, 'signed-stamped-endorsed.pdf'), path.join(out, 'signed-stamped-endorsed')]);

    const check = await pdfsig(pdf, [caPem]);
    expect(check.signatures, check.output).to.have.length(2);
    for (const s of check.signatures) expect(s.valid && s.trusted, check.output).to.equal(true);
    const report = (await verifyThroughApi(clerk, pdf)).body;
    expect(report.signatures.map((s: { status: string; coverage: string; laterChanges: string }) => [s.status, s.coverage, s.laterChanges])).to.deep.equal([['valid', 'earlier_revision', 'annotations'], ['valid', 'earlier_revision', 'annotations']]);
  });

  it('reports a letter changed after signing as invalid, in pdfsig and in the verification', async () => {
    const signed = await signThroughApi(a, kit.letter);
    const altered = Buffer.from(signed.pdf);
    const at = altered.indexOf('stream') + 20; // a byte of the first page's content
    altered[at] ^= 0x01;
    const check = await pdfsig(altered, [caPem]);
    expect(check.signatures[0].valid, check.output).to.equal(false);
    const report = (await verifyThroughApi(clerk, altered)).body;
    expect(report.signatures[0]).to.include({ status: 'invalid', integrity: false });
  });

  it('reports a revoked certificate (staff who left) in pdfsig with the CA\'s CRL, in the verification and on the public page; it can no longer sign', async () => {
    const leaver = await buildSigner(orgId);
    const signed = await signThroughApi(leaver, kit.letter);
    const admin = await login('admin');
    const revoked = await api().post(`/api/signatures/credentials/${leaver.credentialId}/revoke`).set(admin.auth).send({ reason: 'ย้ายไปสังกัดอื่น' });
    expect(revoked.status, JSON.stringify(revoked.body)).to.equal(200);
    const authority = (await api().get('/api/signatures/authorities').set(clerk.auth)).body.items.find((x: { organisationId: number }) => x.organisationId === orgId);
    const crl = await api().get(`/api/signatures/authorities/${authority.id}/crl`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(crl.status).to.equal(200);
    expect(crl.headers['content-type']).to.equal('application/pkix-crl');

    const check = await pdfsig(signed.pdf, [caPem], [crl.body as Buffer]);
    expect(check.signatures[0].revoked, check.output).to.equal(true);
    const report = (await verifyThroughApi(clerk, signed.pdf)).body;
    expect(report.signatures[0].revocation.status).to.equal('revoked');
    expect(report.signatures[0].problems.join(' ')).to.match(/revoked/);
    const page = await api().get(`/verify/${signed.code}`);
    expect(page.text).to.include('ใบรับรองถูกเพิกถอนเมื่อ');
    expect(page.text).to.include('หลังการลงนาม'); // time-stamped before the revocation: it stays a valid signature

    const again = await signThroughApi(leaver, kit.letter);
    expect(again.status).to.equal(422);
    expect(again.json.error.message).to.match(/revoked/);
  });

  it('keeps one verification code per letter; the public page shows fingerprint, signers and times, never the subject of a secret letter', async () => {
    const custodian = await buildSigner(orgId, ['staff', 'registry_clerk', 'secrets_custodian']);
    const subject = 'แผนการย้ายกำลังพลลับเฉพาะ';
    const doc = await api().post('/api/documents').set(custodian.session.auth).send({ direction: 'outgoing', type: 'external', subject, body: 'เนื้อความลับ', secrecy: 'secret' });
    expect(doc.status, JSON.stringify(doc.body)).to.equal(201);
    const first = await signThroughApi(custodian, kit.letter, { documentId: doc.body.id });
    const second = await signThroughApi(custodian, first.pdf, { documentId: doc.body.id });
    expect(second.code).to.equal(first.code);
    expect(await SignatureRecord.count({ where: { documentId: doc.body.id } })).to.equal(1);

    const page = await api().get(`/verify/${first.code}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include(custodian.user.lastNameTh);
    expect(page.text).to.include(crypto.createHash('sha256').update(second.pdf).digest('hex'));
    expect(page.text).to.not.include(subject);
    expect(page.text).to.not.include('เนื้อความลับ');
    const json = await api().get(`/api/signatures/records/${first.code}`);
    expect(JSON.stringify(json.body)).to.not.include(subject);
    expect(json.body.signers).to.have.length(2);
    const qr = await api().get(`/api/signatures/records/${first.code}/qr.svg`);
    expect(qr.status).to.equal(200);
    expect(String(qr.text ?? qr.body)).to.include('<svg');
    expect((await api().get('/verify/NOSUCHCODE1')).status).to.equal(404);
  });

  it('calls a signature from a CA it does not know "indeterminate" (untrusted chain), never valid', async () => {
    const signed = await signThroughApi(a, kit.letter);
    const report = await verifyPdf({ pdf: signed.pdf, anchors: [kit.tsa.rootPem], crls: [] });
    expect(report.signatures[0]).to.include({ status: 'indeterminate', integrity: true });
    expect(report.signatures[0].chain.status).to.equal('untrusted');
  });
});
