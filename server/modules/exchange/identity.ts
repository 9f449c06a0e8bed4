// This deployment's exchange identity: the key pair and certificate its envelopes, notifiers and
// acknowledgements are signed with. Generated at first start (ECDSA P-256, self-signed, 10 years),
// replaceable by one a real CA issued. The private key is kept only encrypted (AES-256-GCM under a
// key derived from EXCHANGE_KEY_SECRET) and leaves this module only as a KeyObject: no API, log or
// error ever carries it.
import 'reflect-metadata';
import crypto, { KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as x509 from '@peculiar/x509';
import { ExchangeIdentity } from '../../db/models';
import { unprocessable } from '../../lib/errors';

x509.cryptoProvider.set(crypto.webcrypto as never);

export interface ExchangeIdentityKeys {
  privateKey: KeyObject;
  certificatePem: string;
  /** Issuer certificates above ours, nearest first (empty when self-signed). */
  chainPem: string[];
  /** The JWS algorithm the key signs with. */
  alg: 'ES256' | 'RS256';
  certificateSha256: string;
}

let keyMaterial: { secret: string; source: 'environment' | 'file' } | null = null;

/**
 * The secret the private key is encrypted under: EXCHANGE_KEY_SECRET, or (a development default) a
 * random one kept in DATA_DIR/exchange-key.secret, away from the database so that a copy of the
 * database alone does not give the key away. Production sets the variable, the same on every machine.
 */
export function configureKeySecret(fromEnv: string | undefined, dataDir: string, log: (line: string) => void = () => {}): void {
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error('EXCHANGE_KEY_SECRET must be at least 32 characters long.');
    keyMaterial = { secret: fromEnv, source: 'environment' };
    return;
  }
  const file = path.join(dataDir, 'exchange-key.secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, crypto.randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process wrote it first
    }
    log(`EXCHANGE_KEY_SECRET is not set: the exchange private key is encrypted under ${file} (set the variable in production)`);
  }
  keyMaterial = { secret: fs.readFileSync(file, 'utf8').trim(), source: 'file' };
}

function wrappingKey(): Buffer {
  if (!keyMaterial) configureKeySecret(process.env.EXCHANGE_KEY_SECRET || undefined, process.env.DATA_DIR || path.resolve('data'));
  return Buffer.from(crypto.hkdfSync('sha256', keyMaterial!.secret, 'saraban', 'exchange private key', 32));
}

function seal(pkcs8: Buffer): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', wrappingKey(), iv);
  const body = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

function unseal(sealed: string): Buffer {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  const decipher = crypto.createDecipheriv('aes-256-gcm', wrappingKey(), iv);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new Error('The exchange private key cannot be decrypted: EXCHANGE_KEY_SECRET differs from the one it was stored under.');
  }
}

export const sha256Hex = (der: Buffer | ArrayBuffer) => crypto.createHash('sha256').update(Buffer.from(der as ArrayBuffer)).digest('hex');

/** The certificate's DER fingerprint; 422 for text that is not one PEM certificate. */
export function parseCertificate(pem: string, field = 'certificatePem'): x509.X509Certificate {
  try {
    const cert = new x509.X509Certificate(pem.trim());
    return cert;
  } catch {
    throw unprocessable('Not an X.509 certificate in PEM form.', [{ field, message: 'not a PEM certificate' }]);
  }
}

function algOf(key: KeyObject): 'ES256' | 'RS256' {
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) return 'RS256';
  throw unprocessable('The exchange key must be ECDSA P-256 or RSA of at least 2048 bits.', [{ field: 'privateKeyPem', message: 'unsupported key type' }]);
}

async function generate(subject: string): Promise<{ certificatePem: string; pkcs8: Buffer }> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await crypto.webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as crypto.webcrypto.CryptoKeyPair;
  const now = new Date();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: crypto.randomBytes(16).toString('hex').replace(/^[89a-f]/, '1'),
    name: subject, notBefore: new Date(now.getTime() - 3_600_000), notAfter: new Date(now.getTime() + 10 * 365 * 86_400_000), keys, signingAlgorithm: alg,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  return { certificatePem: cert.toString('pem'), pkcs8: Buffer.from(await crypto.webcrypto.subtle.exportKey('pkcs8', keys.privateKey)) };
}

let cached: { at: number; id: number; keys: ExchangeIdentityKeys } | null = null;
const CACHE_MS = 10_000;

/** Called after this process replaces the identity (others pick it up within CACHE_MS). */
export function forgetExchangeIdentity(): void {
  cached = null;
}

function toKeys(row: ExchangeIdentity): ExchangeIdentityKeys {
  const privateKey = crypto.createPrivateKey({ key: unseal(row.encryptedKey), format: 'der', type: 'pkcs8' });
  return { privateKey, certificatePem: row.certificatePem, chainPem: JSON.parse(row.chainJson) as string[], alg: algOf(privateKey), certificateSha256: row.certificateSha256 };
}

/** Makes sure the deployment has an identity (first start generates one); returns the one in use. */
export async function ensureExchangeIdentity(subject = 'CN=Saraban exchange'): Promise<ExchangeIdentity> {
  const current = await ExchangeIdentity.findOne({ where: { active: true }, order: [['id', 'DESC']] });
  if (current) return current;
  const { certificatePem, pkcs8 } = await generate(subject);
  const der = Buffer.from(new x509.X509Certificate(certificatePem).rawData);
  await ExchangeIdentity.create({ certificatePem, chainJson: '[]', encryptedKey: seal(pkcs8), certificateSha256: sha256Hex(der), source: 'generated', active: true });
  // Two processes starting together may both generate one: the lowest id wins, the others step down.
  const rows = await ExchangeIdentity.findAll({ where: { active: true, source: 'generated' }, order: [['id', 'ASC']] });
  for (const extra of rows.slice(1)) await extra.update({ active: false });
  return rows[0];
}

/** The key and certificate this deployment signs with (the ECMS adapter signs with the same). */
export async function getExchangeIdentity(): Promise<ExchangeIdentityKeys> {
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.keys;
  const row = await ensureExchangeIdentity();
  if (cached && cached.id === Number(row.id)) {
    cached.at = Date.now();
    return cached.keys;
  }
  cached = { at: Date.now(), id: Number(row.id), keys: toKeys(row) };
  return cached.keys;
}

/** What administrators see of the identity: the certificate and its fingerprint, never the key. */
export async function publicIdentity() {
  const row = await ensureExchangeIdentity();
  const cert = new x509.X509Certificate(row.certificatePem);
  return {
    certificatePem: row.certificatePem, chainPem: JSON.parse(row.chainJson) as string[], certificateSha256: row.certificateSha256, source: row.source,
    subject: cert.subject, issuer: cert.issuer, notBefore: cert.notBefore.toISOString(), notAfter: cert.notAfter.toISOString(), since: new Date(row.createdAt).toISOString(),
  };
}

/**
 * Replaces the identity with one issued elsewhere (a real CA): the key must be the certificate's,
 * proven by signing and verifying with them. The old identity is kept inactive (envelopes signed with
 * it stay explainable); peers need the new certificate (or its CA) in their directory.
 */
export async function importExchangeIdentity(input: { certificatePem: string; chainPem?: string[]; privateKeyPem: string }): Promise<void> {
  const cert = parseCertificate(input.certificatePem);
  const chain = (input.chainPem ?? []).map((p, i) => parseCertificate(p, `chainPem.${i}`));
  let key: KeyObject;
  try {
    key = crypto.createPrivateKey({ key: input.privateKeyPem, format: 'pem' });
  } catch {
    throw unprocessable('Not a private key in PEM form (unencrypted PKCS#8 or traditional).', [{ field: 'privateKeyPem', message: 'not a PEM private key' }]);
  }
  algOf(key);
  const publicKey = crypto.createPublicKey(cert.publicKey.toString('pem'));
  const probe = crypto.randomBytes(32);
  const signature = crypto.sign('sha256', probe, key);
  if (!crypto.verify('sha256', probe, publicKey, signature)) throw unprocessable('The private key does not belong to the certificate.', [{ field: 'privateKeyPem', message: 'key and certificate differ' }]);
  if (cert.notAfter.getTime() < Date.now()) throw unprocessable('The certificate has expired.', [{ field: 'certificatePem', message: 'expired' }]);
  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  const seq = ExchangeIdentity.sequelize!;
  await seq.transaction(async (t) => {
    await ExchangeIdentity.update({ active: false }, { where: { active: true }, transaction: t });
    await ExchangeIdentity.create({
      certificatePem: cert.toString('pem'), chainJson: JSON.stringify(chain.map((c) => c.toString('pem'))), encryptedKey: seal(pkcs8),
      certificateSha256: sha256Hex(cert.rawData), source: 'imported', active: true,
    }, { transaction: t });
  });
  forgetExchangeIdentity();
}
