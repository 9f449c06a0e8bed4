// Anti-spam without outside services: an ALTCHA proof of work (altcha-lib v2, PBKDF2/SHA-256). The
// server picks a secret counter and signs the challenge and the key that counter derives; the
// browser's widget tries counters until it finds that key (seconds of work for a person, a cost per
// message for a bot), and the server checks it with two HMACs (no key derivation on the request path).
// A solved challenge is used once: its nonce is kept in citizen_challenges until it expires.
import crypto from 'node:crypto';
import { Op, UniqueConstraintError } from 'sequelize';
import { createChallenge, randomInt, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import type { Challenge, Payload } from 'altcha-lib';
import { CitizenChallenge } from '../../db/models';
import { AppError } from '../../lib/errors';
import type { Config } from '../../config';

const secretFor = (secret: string, label: string) => crypto.createHmac('sha256', secret).update(`saraban altcha ${label}`).digest('hex');

export async function newChallenge(secret: string, c: Config['citizens']): Promise<Challenge> {
  return createChallenge({
    algorithm: 'PBKDF2/SHA-256',
    cost: c.powCost,
    counter: randomInt(c.powCounterMax, c.powCounterMin),
    deriveKey,
    expiresAt: new Date(Date.now() + c.powTtlSeconds * 1000),
    hmacSignatureSecret: secretFor(secret, 'challenge'),
    hmacKeySignatureSecret: secretFor(secret, 'key'),
  });
}

const refused = (message: string) => new AppError(403, 'proof_of_work_failed', message);

/** The widget's payload: base64 JSON of { challenge, solution }. */
function parse(payload: string): Payload | null {
  try {
    const p = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as Payload;
    return p && typeof p === 'object' && p.challenge && typeof p.challenge === 'object' && p.challenge.parameters && p.solution ? p : null;
  } catch {
    return null;
  }
}

/**
 * Verifies a solved challenge and uses it up (403 for none, a wrong or expired one, 409 for one
 * already used). Nothing of the submission is stored before this passes.
 */
export async function spendProof(secret: string, payload: string | undefined): Promise<void> {
  if (!payload) throw refused('ต้องยืนยันว่าไม่ใช่โปรแกรมอัตโนมัติก่อนส่ง (A solved proof-of-work challenge is required.)');
  const p = parse(payload);
  if (!p) throw refused('The proof-of-work payload is not readable.');
  let result;
  try {
    result = await verifySolution({ challenge: p.challenge, solution: p.solution, deriveKey, hmacSignatureSecret: secretFor(secret, 'challenge'), hmacKeySignatureSecret: secretFor(secret, 'key') });
  } catch {
    throw refused('The proof-of-work payload is not valid.');
  }
  if (result.expired) throw refused('การยืนยันหมดอายุ กรุณายืนยันใหม่ (The challenge has expired; solve a new one.)');
  if (!result.verified) throw refused('The proof of work is not valid.');
  const nonce = String(p.challenge.parameters.nonce);
  const expiresAt = new Date((Number(p.challenge.parameters.expiresAt) || Date.now() / 1000 + 3600) * 1000);
  await CitizenChallenge.destroy({ where: { expiresAt: { [Op.lt]: new Date() } } }); // the kept ones are only needed until they expire
  try {
    await CitizenChallenge.create({ id: crypto.createHash('sha256').update(nonce).digest('hex'), expiresAt });
  } catch (err) {
    if (err instanceof UniqueConstraintError) throw new AppError(409, 'proof_of_work_used', 'This proof of work was already used; solve a new challenge.');
    throw err;
  }
}
