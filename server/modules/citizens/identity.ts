// The two identifiers of the channel: the Thai national ID (checked, then kept only as a keyed hash
// and its last 4 digits) and the tracking code handed to the citizen.
import crypto from 'node:crypto';

/** 13 digits whose last is (11 − Σ dᵢ·(14−i) mod 11) mod 10 over the first 12 (domain.md). */
export function thaiIdValid(id: string): boolean {
  if (!/^\d{13}$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(id[i]) * (13 - i);
  return (11 - (sum % 11)) % 10 === Number(id[12]);
}

/** Digits only: people type the ID with dashes or spaces (1-2345-67890-12-3); Thai digits count too. */
export const normaliseId = (raw: string) => raw.replace(/[๐-๙]/g, (c) => String(c.charCodeAt(0) - 0x0e50)).replace(/[\s-]/g, '');

/**
 * A keyed hash (HMAC-SHA-256 under a key derived from the server's secret): the same person's
 * submissions can be counted for the per-ID limit, but a copy of the database alone cannot be
 * turned back into ID numbers by trying all 10¹² of them.
 */
export function idHash(secret: string, id: string): string {
  const key = crypto.createHmac('sha256', secret).update('saraban citizen national id').digest();
  return crypto.createHmac('sha256', key).update(id).digest('hex');
}

// Crockford's base 32: no I, L, O, U, so a code read aloud or copied by hand survives.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_CHARS = 12; // 60 random bits: guessing one code among millions stays hopeless

/** Luhn mod 32: catches every single wrong character and every swap of two neighbours. */
function checkChar(body: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = body.length - 1; i >= 0; i--) {
    let addend = factor * ALPHABET.indexOf(body[i]);
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / 32) + (addend % 32);
    sum += addend;
  }
  return ALPHABET[(32 - (sum % 32)) % 32];
}

/** A new code, stored as 13 characters (12 random + the check character). */
export function newTrackingCode(): string {
  const bytes = crypto.randomBytes(RANDOM_CHARS);
  let body = '';
  for (const b of bytes) body += ALPHABET[b & 31];
  return body + checkChar(body);
}

/** As printed: ABCD-EFGH-JKMN-P. */
export const formatTrackingCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}-${code.slice(12)}`;

/** The stored form of what a person typed, or null when it cannot be a code (wrong length or check character). */
export function parseTrackingCode(raw: string): string | null {
  const code = raw.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (code.length !== RANDOM_CHARS + 1 || [...code].some((c) => !ALPHABET.includes(c))) return null;
  return checkChar(code.slice(0, RANDOM_CHARS)) === code[RANDOM_CHARS] ? code : null;
}
