// The organisation's CA (created on first use), the CAs an administrator trusts, and CRLs.
import { Op, Transaction, UniqueConstraintError } from 'sequelize';
import { Organisation, SigningAuthority, SigningCredential } from '../../db/models';
import { AppError, unprocessable } from '../../lib/errors';
import { buildCrl, createAuthority, fingerprintOf, KeyAndCert, x509 } from './ca';
import { masterKey, open, seal } from './keys';

const CRL_MAX_AGE_MS = 24 * 3600 * 1000;

export async function authorityOf(dataDir: string, organisationId: number): Promise<SigningAuthority> {
  const existing = await SigningAuthority.findOne({ where: { organisationId, kind: 'organisation' } });
  if (existing) return existing;
  const org = await Organisation.findByPk(organisationId);
  if (!org) throw new AppError(404, 'not_found', 'Organisation was not found.');
  // Generated outside any transaction (an RSA key takes a moment); a concurrent first use loses the
  // unique index on organisationId and reads the winner's.
  const ca = await createAuthority(org.nameTh);
  const fingerprint = fingerprintOf(ca.certificatePem);
  try {
    return await SigningAuthority.create({
      kind: 'organisation', organisationId, subject: new x509.X509Certificate(ca.certificatePem).subject, fingerprint,
      certificatePem: ca.certificatePem, keySealed: seal(masterKey(dataDir), ca.keyPkcs8, `authority:${fingerprint}`), crlNumber: 0,
    });
  } catch (err) {
    if (!(err instanceof UniqueConstraintError)) throw err;
    return (await SigningAuthority.findOne({ where: { organisationId, kind: 'organisation' } }))!;
  }
}

export function authorityKey(dataDir: string, authority: SigningAuthority): KeyAndCert {
  const key = authority.keySealed ? open(masterKey(dataDir), authority.keySealed, `authority:${authority.fingerprint}`) : undefined;
  if (!key) throw new AppError(500, 'authority_key_unavailable', 'The organisation CA key cannot be opened: SIGNING_KEY_SECRET differs from the one it was sealed with.');
  return { certificatePem: authority.certificatePem, keyPkcs8: key };
}

/** Publishes a fresh CRL of the authority's revoked certificates (staff who left). */
export async function refreshCrl(dataDir: string, authority: SigningAuthority, transaction?: Transaction): Promise<Buffer> {
  const revoked = await SigningCredential.findAll({ where: { authorityId: authority.id, revokedAt: { [Op.ne]: null } }, transaction });
  const crlNumber = authority.crlNumber + 1;
  const der = await buildCrl(authorityKey(dataDir, authority), revoked.map((r) => ({ serialHex: r.serialHex, revokedAt: r.revokedAt! })), crlNumber);
  await authority.update({ crlNumber, crlDer: der.toString('base64'), crlUpdatedAt: new Date() }, { transaction });
  return der;
}

export async function currentCrl(dataDir: string, authority: SigningAuthority): Promise<Buffer | null> {
  if (authority.kind !== 'organisation') return authority.crlDer ? Buffer.from(authority.crlDer, 'base64') : null;
  if (authority.crlDer && authority.crlUpdatedAt && Date.now() - authority.crlUpdatedAt.getTime() < CRL_MAX_AGE_MS) return Buffer.from(authority.crlDer, 'base64');
  return refreshCrl(dataDir, authority);
}

/** Every CA this deployment knows: the organisations' and the imported ones. */
export async function trustAnchors(): Promise<SigningAuthority[]> {
  return SigningAuthority.findAll({ order: [['id', 'ASC']] });
}

export async function knownCrls(dataDir: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const a of await trustAnchors()) {
    let crl: Buffer | null;
    try {
      crl = await currentCrl(dataDir, a);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'authority_key_unavailable')) throw err;
      // One CA whose key cannot be opened (SIGNING_KEY_SECRET changed) must not stop every verification:
      // its last published CRL stands until its key is back.
      crl = a.crlDer ? Buffer.from(a.crlDer, 'base64') : null;
    }
    if (crl) out.push(crl);
  }
  return out;
}

/** An administrator adds a CA certificate to trust (a real CA's root or intermediate), with its CRL if given. */
export async function importAuthority(pem: string, crlDer?: Buffer): Promise<SigningAuthority> {
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(pem);
  } catch {
    throw unprocessable('The certificate is not a readable X.509 certificate (PEM).');
  }
  const basic = cert.getExtension(x509.BasicConstraintsExtension);
  if (!basic?.ca) throw unprocessable('The certificate is not a CA certificate (basicConstraints CA:TRUE).');
  if (crlDer) {
    try {
      const crl = new x509.X509Crl(new Uint8Array(crlDer));
      if (crl.issuer !== cert.subject || !(await crl.verify({ publicKey: cert.publicKey }))) throw new Error('issuer');
    } catch {
      throw unprocessable('The CRL is not readable or was not issued by this CA.');
    }
  }
  const fingerprint = fingerprintOf(Buffer.from(cert.rawData));
  const existing = await SigningAuthority.findOne({ where: { fingerprint } });
  if (existing) {
    if (crlDer && existing.kind === 'imported') await existing.update({ crlDer: crlDer.toString('base64'), crlUpdatedAt: new Date() });
    return existing;
  }
  return SigningAuthority.create({
    kind: 'imported', organisationId: null, subject: cert.subject, fingerprint, certificatePem: cert.toString('pem'), keySealed: null,
    crlDer: crlDer?.toString('base64') ?? null, crlUpdatedAt: crlDer ? new Date() : null,
  });
}
