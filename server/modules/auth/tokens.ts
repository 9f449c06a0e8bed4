// Short-lived JWT access tokens and revocable, rotating refresh tokens.
import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import { Op, Sequelize } from 'sequelize';
import { RefreshToken, User } from '../../db/models';
import { unauthorized } from '../../lib/errors';

export interface TokenSettings {
  secret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

export interface AccessClaims {
  sub: string;
  org: number;
  /** The user's token version: a password change or forced logout bumps it. */
  tv: number;
}

const ISSUER = 'saraban';
/** jsonwebtoken turns a string secret into a key on every call, first by trying (and failing)
 * to read it as a public key: one KeyObject per secret instead. */
const keys = new Map<string, crypto.KeyObject>();
function keyOf(secret: string): crypto.KeyObject {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = crypto.createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}
const sha256 = (value: string) => crypto.createHash('sha256').update(value).digest('hex');

export function signAccessToken(settings: TokenSettings, user: User): string {
  const claims: AccessClaims = { sub: String(user.id), org: user.organisationId, tv: user.tokenVersion };
  return jwt.sign(claims, keyOf(settings.secret), { algorithm: 'HS256', expiresIn: settings.accessTokenTtlSeconds, issuer: ISSUER });
}

export function verifyAccessToken(settings: TokenSettings, token: string): AccessClaims {
  try {
    const claims = jwt.verify(token, keyOf(settings.secret), { algorithms: ['HS256'], issuer: ISSUER }) as unknown as AccessClaims;
    if (!/^\d+$/.test(String(claims.sub)) || typeof claims.tv !== 'number') throw new Error('claims');
    return claims;
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) throw unauthorized('The access token has expired; refresh it or sign in again.', 'token_expired');
    throw unauthorized('The access token is not valid.', 'invalid_token');
  }
}

export async function issueRefreshToken(settings: TokenSettings, userId: number, familyId: string = crypto.randomUUID(), transaction?: import('sequelize').Transaction): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await RefreshToken.create(
    { userId, tokenHash: sha256(token), familyId, expiresAt: new Date(Date.now() + settings.refreshTokenTtlSeconds * 1000), revokedAt: null },
    { transaction },
  );
  return token;
}

/**
 * Exchanges a refresh token for a new pair. The old token is revoked (rotation); presenting a
 * token that was already rotated means it leaked, so its whole family is revoked.
 */
export async function rotateRefreshToken(sequelize: Sequelize, settings: TokenSettings, token: string) {
  const presented = await RefreshToken.findOne({ where: { tokenHash: sha256(token) } });
  if (!presented) throw unauthorized('The refresh token is not valid.', 'invalid_refresh_token');
  if (presented.revokedAt) {
    // Committed on its own: the refusal below must not roll the family's revocation back.
    await RefreshToken.update({ revokedAt: new Date() }, { where: { familyId: presented.familyId, revokedAt: null } });
    throw unauthorized('The refresh token was revoked; sign in again.', 'refresh_token_revoked');
  }
  return sequelize.transaction(async (transaction) => {
    const row = (await RefreshToken.findByPk(presented.id, { transaction }))!;
    if (row.expiresAt.getTime() <= Date.now()) throw unauthorized('The refresh token has expired; sign in again.', 'refresh_token_expired');
    const user = await User.findByPk(row.userId, { transaction });
    if (!user || !user.active) throw unauthorized('The account is not active.', 'account_inactive');
    // Conditional update: of two concurrent refreshes with one token, only one wins.
    const [changed] = await RefreshToken.update({ revokedAt: new Date() }, { where: { id: row.id, revokedAt: null }, transaction });
    if (changed !== 1) throw unauthorized('The refresh token was revoked; sign in again.', 'refresh_token_revoked');
    const refreshToken = await issueRefreshToken(settings, user.id, row.familyId, transaction);
    return { user, refreshToken };
  });
}

export async function revokeRefreshToken(userId: number, token: string): Promise<boolean> {
  const [changed] = await RefreshToken.update({ revokedAt: new Date() }, { where: { userId, tokenHash: sha256(token), revokedAt: null } });
  return changed > 0;
}

export async function revokeAllRefreshTokens(userId: number, transaction?: import('sequelize').Transaction): Promise<void> {
  await RefreshToken.update({ revokedAt: new Date() }, { where: { userId, revokedAt: null }, transaction });
}

/** Expired and long-revoked tokens are of no use; keeps the table small. */
export async function pruneRefreshTokens(): Promise<number> {
  return RefreshToken.destroy({ where: { expiresAt: { [Op.lt]: new Date() } } });
}
