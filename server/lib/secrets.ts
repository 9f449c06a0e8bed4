// The JWT signing secret: from JWT_SECRET, or generated once and kept in the database so every
// process sharing the database agrees on it and it survives restarts. Never a constant in code.
import crypto from 'node:crypto';
import { SystemSecret } from '../db/models';

export async function resolveJwtSecret(fromEnv: string | undefined): Promise<string> {
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error('JWT_SECRET must be at least 32 characters long.');
    return fromEnv;
  }
  const existing = await SystemSecret.findByPk('jwt');
  if (existing) return existing.value;
  // Two processes starting together may both generate one; the primary key keeps the first.
  await SystemSecret.findOrCreate({ where: { name: 'jwt' }, defaults: { name: 'jwt', value: crypto.randomBytes(48).toString('base64url') } });
  const stored = await SystemSecret.findByPk('jwt');
  return stored!.value;
}
