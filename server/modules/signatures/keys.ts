// Private keys at rest. The organisation CA's key is sealed with the master key from the
// environment (SIGNING_KEY_SECRET); a signer's key is sealed with a key derived from the master
// key AND the signer's PIN, so neither a database dump alone nor the server alone can use it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import argon2 from 'argon2';

let master: Buffer | undefined;

/**
 * SIGNING_KEY_SECRET (≥ 32 characters). Unset: a random key generated once into
 * DATA_DIR/signing-key (mode 0600) — outside the database on purpose, so a dump of the database
 * does not carry what opens the keys. Several machines sharing one database must set the variable.
 */
export function masterKey(dataDir: string): Buffer {
  if (master) return master;
  const fromEnv = process.env.SIGNING_KEY_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error('SIGNING_KEY_SECRET must be at least 32 characters long.');
    master = crypto.createHash('sha256').update(fromEnv, 'utf8').digest();
    return master;
  }
  const file = path.join(dataDir, 'signing-key');
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  master = crypto.createHash('sha256').update(fs.readFileSync(file, 'utf8').trim(), 'utf8').digest();
  return master;
}

/** Tests switch the master key between runs. */
export function forgetMasterKey(): void {
  master = undefined;
}

/** AES-256-GCM; `context` is bound as associated data (a sealed key cannot be moved to another row). */
export function seal(key: Buffer, plain: Buffer, context: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
}

/** Undefined when the key or context is wrong (for a PIN-derived key: the wrong PIN). */
export function open(key: Buffer, sealed: string, context: string): Buffer | undefined {
  const [v, iv, tag, body] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag || !body) return undefined;
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]);
  } catch {
    return undefined;
  }
}

const PIN_HASH = { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1, hashLength: 32, raw: true } as const;

/** What a PIN opens: a key for sealing the signer's private keys and a verifier to check the PIN. */
export async function pinKeys(dataDir: string, pin: string, salt: Buffer): Promise<{ kek: Buffer; verifier: string }> {
  const stretched = await argon2.hash(pin, { ...PIN_HASH, salt });
  const derive = (label: string) => Buffer.from(crypto.hkdfSync('sha256', Buffer.concat([masterKey(dataDir), stretched]), salt, label, 32));
  return { kek: derive('saraban signing key'), verifier: derive('saraban pin verifier').toString('base64') };
}

export function sameVerifier(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
