// Signers' credentials: a certificate from the organisation CA or an imported PKCS#12, with the
// private key sealed under the signer's PIN. The PIN is checked by deriving keys from it (never
// stored, never logged); every attempt is counted in the database before it is checked, so
// parallel guesses across server processes cannot exceed SIGNING_PIN_MAX_ATTEMPTS before the lock.
import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import { Op, Sequelize } from 'sequelize';
import { Organisation, Position, SigningAuthority, SigningCredential, SigningPin, Unit } from '../../db/models';
import { AppError, conflict, forbidden, notFound, unprocessable } from '../../lib/errors';
import { writeTransaction } from '../../lib/transaction';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import { verifyPassword } from '../auth/passwords';
import { fingerprintOf, issueSignerCertificate, x509 } from './ca';
import { authorityKey, authorityOf, refreshCrl } from './authority';
import { open, pinKeys, sameVerifier, seal } from './keys';
import { openPkcs12 } from './pkcs12';
import { signingSettings } from './settings';

const context = (fingerprint: string) => `credential:${fingerprint}`;

/** Takes one attempt (or refuses while locked); `check` decides; success gives the attempts back. */
async function attempt<T>(sequelize: Sequelize, userId: number, check: (row: SigningPin) => Promise<T | undefined>, wrong: string): Promise<T> {
  const { pinMaxAttempts, pinLockMs } = signingSettings();
  const row = await writeTransaction(sequelize, async (transaction) => {
    const pin = await SigningPin.findByPk(userId, { transaction, lock: transaction.LOCK.UPDATE });
    if (!pin) throw conflict('ตั้งรหัส PIN สำหรับลงนามก่อน (Set a signing PIN first: PUT /api/signatures/pin.)');
    if (pin.lockedUntil && pin.lockedUntil.getTime() > Date.now()) return { locked: pin.lockedUntil };
    const failedAttempts = pin.failedAttempts + 1;
    await pin.update({ failedAttempts, lockedUntil: failedAttempts >= pinMaxAttempts ? new Date(Date.now() + pinLockMs) : null }, { transaction });
    return { pin };
  });
  if ('locked' in row) {
    const seconds = Math.ceil((row.locked!.getTime() - Date.now()) / 1000);
    throw new AppError(429, 'pin_locked', `ใส่รหัสผิดหลายครั้ง ระงับการลงนามอีก ${Math.ceil(seconds / 60)} นาที (Too many wrong attempts: signing is locked for ${Math.ceil(seconds / 60)} more minute(s).)`, undefined, { 'Retry-After': String(seconds) });
  }
  const result = await check(row.pin!);
  if (result === undefined) {
    const left = Math.max(0, pinMaxAttempts - row.pin!.failedAttempts);
    throw new AppError(403, wrong === 'pin' ? 'wrong_pin' : 'wrong_password', `${wrong === 'pin' ? 'รหัส PIN สำหรับลงนามไม่ถูกต้อง' : 'รหัสผ่านไม่ถูกต้อง'} (${wrong === 'pin' ? 'The signing PIN' : 'The password'} is wrong. ${left ? `${left} attempt(s) left before signing locks.` : 'Signing is now locked.'})`, { attemptsLeft: left });
  }
  await SigningPin.update({ failedAttempts: 0, lockedUntil: null }, { where: { userId } });
  return result;
}

/** The key that opens the signer's keys, if the PIN is right (counts the attempt). */
export async function unlockWithPin(ctx: AppContext, userId: number, pin: string): Promise<Buffer> {
  return attempt(ctx.db.sequelize, userId, async (row) => {
    const keys = await pinKeys(ctx.config.dataDir, pin, Buffer.from(row.salt, 'base64'));
    return sameVerifier(keys.verifier, row.verifier) ? keys.kek : undefined;
  }, 'pin');
}

/** Sets the PIN the first time, or changes it (the current PIN is required) and re-seals every key. */
export async function setPin(ctx: AppContext, actor: Actor, pin: string, currentPin?: string): Promise<void> {
  const existing = await SigningPin.findByPk(actor.userId);
  const oldKek = existing ? await unlockWithPin(ctx, actor.userId, currentPin ?? '') : undefined;
  const salt = crypto.randomBytes(16);
  const keys = await pinKeys(ctx.config.dataDir, pin, salt);
  await writeTransaction(ctx.db.sequelize, async (transaction) => {
    const creds = await SigningCredential.findAll({ where: { userId: actor.userId }, transaction, lock: transaction.LOCK.UPDATE });
    for (const c of creds) {
      const key = oldKek && open(oldKek, c.keySealed, context(c.fingerprint));
      if (!key) throw conflict('A signing key could not be opened with the current PIN; nothing was changed.');
      await c.update({ keySealed: seal(keys.kek, key, context(c.fingerprint)) }, { transaction });
    }
    await SigningPin.upsert({ userId: actor.userId, salt: salt.toString('base64'), verifier: keys.verifier, failedAttempts: 0, lockedUntil: null }, { transaction });
  });
}

const GRANT_PURPOSE = 'signing';

/** The fresh sign-in check: the password again, giving a grant valid for SIGNING_FRESH_SECONDS. */
export async function issueSigningGrant(ctx: AppContext, actor: Actor, password: string): Promise<{ signingGrant: string; expiresAt: string }> {
  await attempt(ctx.db.sequelize, actor.userId, async () => ((await verifyPassword(actor.user.passwordHash, password)) ? true : undefined), 'password');
  const { freshSeconds } = signingSettings();
  const signingGrant = jwt.sign({ sub: String(actor.userId), tv: actor.user.tokenVersion, pur: GRANT_PURPOSE }, ctx.tokens.secret, { algorithm: 'HS256', expiresIn: freshSeconds, issuer: 'saraban' });
  return { signingGrant, expiresAt: new Date(Date.now() + freshSeconds * 1000).toISOString() };
}

export function assertFreshGrant(ctx: AppContext, actor: Actor, grant: string | undefined): void {
  const refuse = (why: string) => new AppError(401, 'signing_check_required', `ยืนยันรหัสผ่านอีกครั้งก่อนลงนาม (${why} Confirm your password first (POST /api/signatures/check) and sign within ${signingSettings().freshSeconds} seconds.)`);
  if (!grant) throw refuse('Signing needs a fresh sign-in check.');
  try {
    const claims = jwt.verify(grant, ctx.tokens.secret, { algorithms: ['HS256'], issuer: 'saraban' }) as { sub: string; tv: number; pur: string };
    if (claims.pur !== GRANT_PURPOSE || Number(claims.sub) !== actor.userId || claims.tv !== actor.user.tokenVersion) throw new Error('other');
  } catch (err) {
    throw refuse(err instanceof jwt.TokenExpiredError ? 'The sign-in check has expired.' : 'The sign-in check is not valid.');
  }
}

async function subjectOf(actor: Actor) {
  const [org, unit, position] = await Promise.all([
    Organisation.findByPk(actor.organisationId),
    actor.unitId ? Unit.findByPk(actor.unitId) : null,
    actor.user.positionId ? Position.findByPk(actor.user.positionId) : null,
  ]);
  return { nameTh: actor.user.displayName, positionTh: position?.titleTh, organisationName: org!.nameTh, unitName: unit?.nameTh, email: actor.user.email ?? undefined };
}

/** A certificate from the organisation CA (Thai name and position), its key sealed under the PIN. */
export async function issueCredential(ctx: AppContext, actor: Actor, pin: string, validity?: { notBefore?: Date; notAfter?: Date }): Promise<SigningCredential> {
  const kek = await unlockWithPin(ctx, actor.userId, pin);
  const authority = await authorityOf(ctx.config.dataDir, actor.organisationId);
  const issued = await issueSignerCertificate(authorityKey(ctx.config.dataDir, authority), await subjectOf(actor), {
    crlUrl: `${ctx.config.publicUrl}/api/signatures/authorities/${authority.id}/crl`, ...validity,
  });
  const fingerprint = fingerprintOf(issued.certificatePem);
  return SigningCredential.create({
    userId: actor.userId, organisationId: actor.organisationId, kind: 'issued', authorityId: authority.id,
    subject: new x509.X509Certificate(issued.certificatePem).subject, serialHex: issued.serialHex, fingerprint,
    certificatePem: issued.certificatePem, chainPem: authority.certificatePem, keySealed: seal(kek, issued.keyPkcs8, context(fingerprint)),
    notBefore: issued.notBefore, notAfter: issued.notAfter, revokedAt: null, revocationReason: null,
  });
}

/** A PKCS#12 from a real CA: accepted when it is valid now and chains to a CA an administrator trusts. */
export async function importCredential(ctx: AppContext, actor: Actor, p12: Buffer, password: string, pin: string): Promise<SigningCredential> {
  const kek = await unlockWithPin(ctx, actor.userId, pin);
  const opened = await openPkcs12(p12, password);
  const cert = new x509.X509Certificate(opened.certificatePem);
  const now = new Date();
  if (cert.notAfter < now) throw unprocessable(`The certificate expired on ${cert.notAfter.toISOString()}.`);
  if (cert.notBefore > now) throw unprocessable('The certificate is not valid yet.');
  const usage = cert.getExtension(x509.KeyUsagesExtension);
  if (usage && !(usage.usages & (x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation))) throw unprocessable('The certificate may not be used for signatures (key usage).');
  const authorities = await SigningAuthority.findAll();
  let issuer: SigningAuthority | undefined;
  for (const a of authorities) {
    const ca = new x509.X509Certificate(a.certificatePem);
    if (ca.subject === cert.issuer && (await cert.verify({ publicKey: ca.publicKey, signatureOnly: true }))) issuer = a;
  }
  if (!issuer) throw unprocessable(`The certificate's issuer (${cert.issuer}) is not a CA this system trusts: an administrator adds it first (POST /api/signatures/authorities).`);
  const fingerprint = fingerprintOf(opened.certificatePem);
  if (await SigningCredential.findOne({ where: { fingerprint } })) throw conflict('This certificate has already been imported.');
  return SigningCredential.create({
    userId: actor.userId, organisationId: actor.organisationId, kind: 'imported', authorityId: issuer.id, subject: cert.subject,
    serialHex: cert.serialNumber, fingerprint, certificatePem: cert.toString('pem'), chainPem: [...opened.chainPems, issuer.certificatePem].join(''),
    keySealed: seal(kek, opened.keyPkcs8, context(fingerprint)), notBefore: cert.notBefore, notAfter: cert.notAfter, revokedAt: null, revocationReason: null,
  });
}

/** The signer themself, or a system administrator of their organisation (staff who left). */
export async function revokeCredential(ctx: AppContext, actor: Actor, id: number, reason: string): Promise<SigningCredential> {
  return writeTransaction(ctx.db.sequelize, async (transaction) => {
    const cred = await SigningCredential.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
    const mine = cred?.userId === actor.userId;
    const admin = cred?.organisationId === actor.organisationId && actor.roles.has('system_admin');
    if (!cred || (!mine && cred.organisationId !== actor.organisationId)) throw notFound('Credential');
    if (!mine && !admin) throw forbidden('Only the signer or a system administrator revokes a certificate.');
    if (cred.revokedAt) return cred;
    await cred.update({ revokedAt: new Date(), revocationReason: reason }, { transaction });
    const authority = cred.authorityId ? await SigningAuthority.findByPk(cred.authorityId, { transaction, lock: transaction.LOCK.UPDATE }) : null;
    if (authority?.kind === 'organisation') await refreshCrl(ctx.config.dataDir, authority, transaction);
    return cred;
  });
}

/** The credential a signature will use: the newest one not revoked; expired → 422. */
export async function signingCredential(userId: number): Promise<SigningCredential> {
  const cred = await SigningCredential.findOne({ where: { userId, revokedAt: { [Op.is]: null } }, order: [['createdAt', 'DESC'], ['id', 'DESC']] });
  if (!cred) {
    const revoked = await SigningCredential.count({ where: { userId } });
    throw unprocessable(revoked ? 'ใบรับรองสำหรับลงนามของท่านถูกเพิกถอนแล้ว ขอใบรับรองใหม่ (Your signing certificate has been revoked: ask for a new one.)' : 'ท่านยังไม่มีใบรับรองสำหรับลงนาม ลงนามด้วยการพิมพ์ชื่อ หรือขอใบรับรองก่อน (You have no signing certificate yet: POST /api/signatures/credentials.)');
  }
  if (cred.notAfter.getTime() < Date.now()) throw new AppError(422, 'certificate_expired', `ใบรับรองสำหรับลงนามของท่านหมดอายุแล้ว ขอใบรับรองใหม่ (Your signing certificate expired on ${cred.notAfter.toISOString()}: ask for a new one.)`);
  return cred;
}

export function openCredentialKey(cred: SigningCredential, kek: Buffer): Buffer {
  const key = open(kek, cred.keySealed, context(cred.fingerprint));
  if (!key) throw conflict('The signing key cannot be opened with this PIN.');
  return key;
}
