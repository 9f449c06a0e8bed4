// The organisation's certification authority: a self-signed root per organisation that issues
// its signers' certificates (Thai name and position in the subject) and a CRL of revoked ones
// (staff who left). @peculiar/x509 on Node's WebCrypto; RSA-2048 with SHA-256, which every
// verifier (Acrobat, poppler/NSS, openssl) accepts.
import 'reflect-metadata';
import crypto from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(crypto.webcrypto as never);

type CryptoKey = crypto.webcrypto.CryptoKey;
type CryptoKeyPair = crypto.webcrypto.CryptoKeyPair;

const ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;
const DAY = 24 * 3600 * 1000;

export interface KeyAndCert { certificatePem: string; keyPkcs8: Buffer }

const subtle = crypto.webcrypto.subtle;

async function exportKey(key: CryptoKey): Promise<Buffer> {
  return Buffer.from(await subtle.exportKey('pkcs8', key));
}

export type { CryptoKey };

export async function importSigningKey(pkcs8: Buffer): Promise<CryptoKey> {
  return subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']) as Promise<CryptoKey>;
}

/** A random positive serial of 16 bytes (RFC 5280 allows up to 20). */
const serial = () => {
  const b = crypto.randomBytes(16);
  b[0] &= 0x7f;
  b[0] |= 0x10;
  return b.toString('hex');
};

const name = (parts: Array<[string, string | undefined]>) => new x509.Name(parts.filter(([, v]) => v).map(([k, v]) => ({ [k]: [v!] })));

export async function createAuthority(organisationName: string, years = 20): Promise<KeyAndCert & { serialHex: string }> {
  const keys = (await subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const serialNumber = serial();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber,
    name: name([['CN', `${organisationName} — ผู้ออกใบรับรองลายมือชื่อ (Saraban CA)`], ['O', organisationName], ['C', 'TH']]),
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + years * 365 * DAY),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificatePem: cert.toString('pem'), keyPkcs8: await exportKey(keys.privateKey), serialHex: serialNumber };
}

export interface SignerSubject {
  nameTh: string;
  positionTh?: string;
  organisationName: string;
  unitName?: string;
  email?: string;
}

export async function issueSignerCertificate(
  ca: KeyAndCert,
  subject: SignerSubject,
  options: { crlUrl?: string; notBefore?: Date; notAfter?: Date } = {},
): Promise<KeyAndCert & { serialHex: string; notBefore: Date; notAfter: Date }> {
  const caCert = new x509.X509Certificate(ca.certificatePem);
  const caKey = await importSigningKey(ca.keyPkcs8);
  const keys = (await subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = options.notAfter ?? new Date(Date.now() + 2 * 365 * DAY);
  const serialNumber = serial();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber,
    subject: name([['CN', subject.nameTh], ['T', subject.positionTh], ['OU', subject.unitName], ['O', subject.organisationName], ['C', 'TH']]),
    issuer: caCert.subjectName,
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
      ...(subject.email ? [new x509.SubjectAlternativeNameExtension([{ type: 'email', value: subject.email }])] : []),
      ...(options.crlUrl ? [new x509.CRLDistributionPointsExtension([options.crlUrl])] : []),
    ],
  });
  return { certificatePem: cert.toString('pem'), keyPkcs8: await exportKey(keys.privateKey), serialHex: serialNumber, notBefore, notAfter };
}

export interface Revoked { serialHex: string; revokedAt: Date }

/** A CRL valid for `days`, listing the revoked serials (reason: cessationOfOperation — staff who left). */
export async function buildCrl(ca: KeyAndCert, revoked: Revoked[], crlNumber: number, days = 7): Promise<Buffer> {
  const caCert = new x509.X509Certificate(ca.certificatePem);
  const crl = await x509.X509CrlGenerator.create({
    issuer: caCert.subjectName,
    thisUpdate: new Date(Date.now() - 60_000),
    nextUpdate: new Date(Date.now() + days * DAY),
    entries: revoked.map((r) => ({ serialNumber: r.serialHex, revocationDate: r.revokedAt, reason: x509.X509CrlReason.cessationOfOperation })),
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(caCert), new x509.Extension('2.5.29.20', false, crlNumberDer(crlNumber))],
    signingKey: await importSigningKey(ca.keyPkcs8),
    signingAlgorithm: ALG,
  });
  return Buffer.from(crl.rawData);
}

/** DER INTEGER for the CRLNumber extension. */
function crlNumberDer(n: number): ArrayBuffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  const body = Buffer.from(hex, 'hex');
  return new Uint8Array(Buffer.concat([Buffer.from([0x02, body.length]), body])).buffer;
}

export const fingerprintOf = (pemOrDer: string | Buffer) =>
  crypto.createHash('sha256').update(typeof pemOrDer === 'string' ? Buffer.from(new x509.X509Certificate(pemOrDer).rawData) : pemOrDer).digest('hex');

export { x509 };
