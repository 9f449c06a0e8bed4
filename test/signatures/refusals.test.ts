// What signing and verification refuse, with a 4xx and a clear message, leaving nothing half-written:
// wrong PIN (and its lock), no fresh sign-in check, expired certificate, and files that are not
// PDFs, are malformed, encrypted or too large; PKCS#12 import from trusted and unknown CAs.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { SignatureRecord, SigningPin } from '../../server/db/models';
import { loadActor } from '../../server/modules/auth/actor';
import { authorityOf } from '../../server/modules/signatures/authority';
import { issueCredential } from '../../server/modules/signatures/credentials';
import { seal } from '../../server/modules/signatures/keys';
import { api, buildOrganisation, login, Session } from '../helpers/factories';
import { testEnv } from '../helpers/env';
import { buildSigner, freshGrant, PIN, signThroughApi, useSigningKit, verifyThroughApi } from './helpers';
import { pdfsig, tempDir } from './tools';

describe('signatures: refusals and imports', function () {
  this.timeout(120000);
  const kit = useSigningKit();
  let orgId: number;
  let clerk: Session;
  before(async () => {
    clerk = await login('clerk');
    orgId = (await api().get('/api/me').set(clerk.auth)).body.organisation.id;
  });

  it('refuses a wrong PIN with 403 and the attempts left, locks after the limit even for the right PIN (429), and records nothing', async () => {
    process.env.SIGNING_PIN_MAX_ATTEMPTS = '3';
    try {
      const s = await buildSigner(orgId);
      const before = await SignatureRecord.count();
      const grant = await freshGrant(s.session);
      const first = await signThroughApi(s, kit.letter, { pin: '000000', grant });
      expect(first.status).to.equal(403);
      expect(first.json.error).to.include({ code: 'wrong_pin' });
      expect(first.json.error.details.attemptsLeft).to.equal(2);
      expect(first.json.error.message).to.not.include('000000');
      await signThroughApi(s, kit.letter, { pin: '000001', grant });
      const third = await signThroughApi(s, kit.letter, { pin: '000002', grant });
      expect(third.json.error.message).to.match(/locked/);
      const right = await signThroughApi(s, kit.letter, { pin: PIN, grant });
      expect(right.status).to.equal(429);
      expect(right.json.error.code).to.equal('pin_locked');
      expect(await SignatureRecord.count()).to.equal(before);
      const status = await api().get('/api/signatures/me').set(s.session.auth);
      expect(status.body.lockedUntil).to.be.a('string');
      // The lock ends: the right PIN signs again and the counter starts over.
      await SigningPin.update({ lockedUntil: new Date(Date.now() - 1000) }, { where: { userId: s.user.id } });
      expect((await signThroughApi(s, kit.letter, { pin: PIN, grant })).status).to.equal(200);
      expect((await SigningPin.findByPk(s.user.id))!.failedAttempts).to.equal(0);
    } finally {
      delete process.env.SIGNING_PIN_MAX_ATTEMPTS;
    }
  });

  it('asks for a fresh sign-in check: no grant or another user\'s grant → 401; a wrong password at the check → 403', async () => {
    const s = await buildSigner(orgId);
    const other = await buildSigner(orgId);
    const none = await signThroughApi(s, kit.letter, { grant: null });
    expect(none.status).to.equal(401);
    expect(none.json.error.code).to.equal('signing_check_required');
    const foreign = await signThroughApi(s, kit.letter, { grant: await freshGrant(other.session) });
    expect(foreign.status).to.equal(401);
    const wrong = await api().post('/api/signatures/check').set(s.session.auth).send({ password: 'not-my-password' });
    expect(wrong.status).to.equal(403);
    expect(wrong.body.error.code).to.equal('wrong_password');
  });

  it('refuses to sign with an expired certificate (422) and to change the PIN without the current one', async () => {
    const s = await buildSigner(orgId);
    const actor = (await loadActor(s.user.id))!;
    await issueCredential(testEnv().ctx, actor, PIN, { notBefore: new Date(Date.now() - 3 * 86400_000), notAfter: new Date(Date.now() - 86400_000) });
    const res = await signThroughApi(s, kit.letter);
    expect(res.status).to.equal(422);
    expect(res.json.error.code).to.equal('certificate_expired');
    const change = await api().put('/api/signatures/pin').set(s.session.auth).send({ pin: '99887766' });
    expect(change.status).to.equal(403);
  });

  it('changes the PIN and re-seals the keys: the old PIN no longer signs, the new one does', async () => {
    const s = await buildSigner(orgId);
    expect((await api().put('/api/signatures/pin').set(s.session.auth).send({ pin: '77665544', currentPin: PIN })).status).to.equal(204);
    expect((await signThroughApi(s, kit.letter)).status).to.equal(403);
    expect((await signThroughApi(s, kit.letter, { pin: '77665544' })).status).to.equal(200);
  });

  it('answers a non-PDF with 415, a malformed or encrypted PDF with 422, a missing file with 400 and a file over the limit with 413', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const notPdf = await verifyThroughApi(clerk, png, 'x.pdf');
    expect(notPdf.status).to.equal(415);
    expect(notPdf.body.error.code).to.equal('not_pdf');
    const malformed = await verifyThroughApi(clerk, Buffer.from('%PDF-1.7\nthis is not a PDF body at all\n'));
    expect(malformed.status).to.equal(422);
    expect(malformed.body.error.code).to.equal('malformed_pdf');

    const dir = tempDir('enc');
    fs.writeFileSync(path.join(dir, 'in.pdf'), kit.letter);
    execFileSync('qpdf', ['--encrypt', 'user', 'owner', '256', '--', path.join(dir, 'in.pdf'), path.join(dir, 'out.pdf')]);
    const encrypted = await verifyThroughApi(clerk, fs.readFileSync(path.join(dir, 'out.pdf')));
    fs.rmSync(dir, { recursive: true, force: true });
    expect(encrypted.status).to.equal(422);
    expect(encrypted.body.error.code).to.equal('encrypted_pdf');

    const s = await buildSigner(orgId);
    const before = await SignatureRecord.count();
    const signNonPdf = await signThroughApi(s, png);
    expect(signNonPdf.status).to.equal(415);
    expect(await SignatureRecord.count()).to.equal(before);

    expect((await api().post('/api/signatures/verify').set(clerk.auth).field('x', 'y')).status).to.equal(400);
    process.env.SIGNATURE_MAX_PDF_BYTES = '1000';
    try {
      expect((await verifyThroughApi(clerk, kit.letter)).status).to.equal(413);
    } finally {
      delete process.env.SIGNATURE_MAX_PDF_BYTES;
    }
    const unsigned = await verifyThroughApi(clerk, kit.letter);
    expect(unsigned.status).to.equal(200);
    expect(unsigned.body.signatures).to.deep.equal([]);
  });

  it("still verifies when one organisation's CA key cannot be opened (its master key changed): that CA's last CRL stands", async () => {
    const other = await buildOrganisation();
    const authority = await authorityOf(testEnv().ctx.config.dataDir, other.id);
    const sealed = authority.keySealed;
    // Sealed under another master key, and its CRL due for renewal: the renewal cannot open the key.
    await authority.update({ keySealed: seal(crypto.randomBytes(32), Buffer.from('not this key'), `authority:${authority.fingerprint}`), crlUpdatedAt: null });
    try {
      const res = await verifyThroughApi(clerk, kit.letter);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.signatures).to.deep.equal([]);
    } finally {
      await authority.update({ keySealed: sealed });
    }
  });

  it('imports a PKCS#12 from a CA an administrator trusts and signs with it (pdfsig: Valid / Trusted); refuses an unknown CA and a wrong password', async () => {
    const dir = tempDir('p12');
    const o = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    o(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=Thai Test Commercial CA/O=Test CA Co/C=TH', '-days', '3650',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    o(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'u.key', '-out', 'u.csr', '-subj', '/CN=นางสาวมาลี ศรีสุข/O=กรมทดสอบ/C=TH', '-utf8']);
    fs.writeFileSync(path.join(dir, 'ext.cnf'), 'keyUsage=critical,digitalSignature,nonRepudiation\nbasicConstraints=CA:FALSE\n');
    o(['x509', '-req', '-in', 'u.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'u.crt', '-days', '365', '-extfile', 'ext.cnf']);
    o(['pkcs12', '-export', '-inkey', 'u.key', '-in', 'u.crt', '-certfile', 'ca.crt', '-out', 'u.p12', '-passout', 'pass:p12-secret']);
    const p12 = fs.readFileSync(path.join(dir, 'u.p12'));
    const caPem = fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8');
    fs.rmSync(dir, { recursive: true, force: true });

    const s = await buildSigner(orgId);
    const importP12 = (password: string) => api().post('/api/signatures/credentials/import').set(s.session.auth).field('password', password).field('pin', PIN).attach('file', p12, 'me.p12');
    const unknown = await importP12('p12-secret');
    expect(unknown.status).to.equal(422);
    expect(unknown.body.error.message).to.match(/not a CA this system trusts/);

    expect((await api().post('/api/signatures/authorities').set(clerk.auth).send({ certificatePem: caPem })).status, 'a clerk may not add a CA').to.equal(403);
    const admin = await login('admin');
    expect((await api().post('/api/signatures/authorities').set(admin.auth).send({ certificatePem: caPem })).status).to.equal(201);
    const wrong = await importP12('wrong');
    expect(wrong.status).to.equal(422);
    expect(wrong.body.error.message).to.match(/password is wrong/);
    const ok = await importP12('p12-secret');
    expect(ok.status, JSON.stringify(ok.body)).to.equal(201);
    expect(ok.body.kind).to.equal('imported');

    const signed = await signThroughApi(s, kit.letter);
    expect(signed.status).to.equal(200);
    expect(signed.level, 'no CRL known for the imported CA').to.equal('B-T');
    const check = await pdfsig(signed.pdf, [caPem]);
    expect(check.signatures[0].valid && check.signatures[0].trusted, check.output).to.equal(true);
    expect(check.output).to.include('นางสาวมาลี ศรีสุข');
  });
});
