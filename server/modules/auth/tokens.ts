// Short-lived JWT access tokens and revocable, rotating refresh tokens.
import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import { Op, Sequelize, Transaction } from 'sequelize';
import { RefreshToken, User } from '../../db/models';
import { unauthorized } from '../../lib/errors';
import { writeTransaction } from '../../lib/transaction';
import { LRUCache } from 'lru-cache';
import { announceSessionEnded, announceSessionsEnded } from './sessions';
import { ACTOR_MAX_AGE_MS } from './actor';

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
  /** The session (the refresh-token family of one sign-in): a plain logout ends it. */
  sid: string;
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

export function signAccessToken(settings: TokenSettings, user: User, sessionId: string): string {
  const claims: AccessClaims = { sub: String(user.id), org: user.organisationId, tv: user.tokenVersion, sid: sessionId };
  return jwt.sign(claims, keyOf(settings.secret), { algorithm: 'HS256', expiresIn: settings.accessTokenTtlSeconds, issuer: ISSUER });
}

export function verifyAccessToken(settings: TokenSettings, token: string): AccessClaims {
  try {
    const claims = jwt.verify(token, keyOf(settings.secret), { algorithms: ['HS256'], issuer: ISSUER }) as unknown as AccessClaims;
    // Other tokens this server signs (a signing grant: `pur`) are never access tokens.
    if (!/^\d+$/.test(String(claims.sub)) || typeof claims.tv !== 'number' || typeof claims.sid !== 'string' || 'pur' in claims) throw new Error('claims');
    return claims;
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) throw unauthorized('The access token has expired; refresh it or sign in again.', 'token_expired');
    throw unauthorized('The access token is not valid.', 'invalid_token');
  }
}

/** A new refresh token in the session `familyId` (a new session when not given). */
export async function issueRefreshToken(settings: TokenSettings, userId: number, familyId: string = crypto.randomUUID(), transaction?: Transaction): Promise<{ token: string; sessionId: string }> {
  const token = crypto.randomBytes(32).toString('base64url');
  await RefreshToken.create(
    { userId, tokenHash: sha256(token), familyId, expiresAt: new Date(Date.now() + settings.refreshTokenTtlSeconds * 1000), revokedAt: null },
    { transaction },
  );
  return { token, sessionId: familyId };
}

/**
 * A rotated refresh token may be presented again for this long and still be exchanged. Two tabs of
 * the web app share one cookie: when both refresh at once (a reload, two timers), the later request
 * carries the token the earlier one just rotated, and the cookie from the earlier answer may be
 * lost (a reload aborts the fetch). 10 s covers a slow phone network and clock drift between server
 * processes, and opens far less than the 15-minute access token a thief of the cookie gets anyway.
 */
export const ROTATION_GRACE_MS = 10_000;

/**
 * Exchanges a refresh token for a new one in the same family, revoking the old one (rotation).
 * Presenting a rotated token again within ROTATION_GRACE_MS, while its family still has a live token,
 * gets another new token; later, it means the token leaked, so its whole family is revoked.
 */
export async function rotateRefreshToken(sequelize: Sequelize, settings: TokenSettings, token: string) {
  const outcome = await writeTransaction(sequelize, async (transaction) => {
    // Locked: of two concurrent refreshes with one token, the second reads it already rotated.
    const row = await RefreshToken.findOne({ where: { tokenHash: sha256(token) }, lock: transaction.LOCK.UPDATE, transaction });
    if (!row) throw unauthorized('The refresh token is not valid.', 'invalid_refresh_token');
    if (row.revokedAt && !(await withinGrace(row, transaction))) return { reusedFamily: row.familyId };
    if (row.expiresAt.getTime() <= Date.now()) throw unauthorized('The refresh token has expired; sign in again.', 'refresh_token_expired');
    const user = await User.findByPk(row.userId, { transaction });
    if (!user || !user.active) throw unauthorized('The account is not active.', 'account_inactive');
    if (!row.revokedAt) await row.update({ revokedAt: new Date() }, { transaction });
    const refreshToken = await issueRefreshToken(settings, user.id, row.familyId, transaction);
    return { user, refreshToken };
  });
  if ('reusedFamily' in outcome) {
    // Committed on its own: the refusal below must not roll the family's revocation back.
    await RefreshToken.update({ revokedAt: new Date() }, { where: { familyId: outcome.reusedFamily, revokedAt: null } });
    forgetSession(String(outcome.reusedFamily));
    throw unauthorized('The refresh token was revoked; sign in again.', 'refresh_token_revoked');
  }
  return outcome;
}

/**
 * Rotated moments ago, and the session goes on: a logout, a logout everywhere, a password change
 * or a detected theft leaves no live token in the family, and then there is no grace.
 */
async function withinGrace(row: RefreshToken, transaction: Transaction): Promise<boolean> {
  if (Date.now() - row.revokedAt!.getTime() >= ROTATION_GRACE_MS) return false;
  const live = await RefreshToken.findOne({
    where: { familyId: row.familyId, revokedAt: null, expiresAt: { [Op.gt]: new Date() } },
    lock: transaction.LOCK.UPDATE,
    transaction,
  });
  return live !== null;
}

/** Ends the session a refresh token belongs to: the token and every token rotated from the same sign-in. */
export async function revokeRefreshToken(userId: number, token: string): Promise<boolean> {
  const row = await RefreshToken.findOne({ where: { userId, tokenHash: sha256(token) } });
  if (!row) return false;
  const [changed] = await RefreshToken.update({ revokedAt: new Date() }, { where: { familyId: row.familyId, revokedAt: null } });
  forgetSession(row.familyId);
  announceSessionEnded(row.familyId);
  return changed > 0;
}

/**
 * Whether a session still has a live refresh token. Access tokens carry their session, so a plain
 * logout ends them too, not only the refresh token. Kept for ACTOR_MAX_AGE_MS like actors: a logout
 * through this process is seen at once (announceSessionEnded forgets it), through another within that.
 */
const liveSessions = new LRUCache<string, boolean>({ max: 50_000, ttl: ACTOR_MAX_AGE_MS });
export async function sessionLive(sessionId: string): Promise<boolean> {
  const kept = liveSessions.get(sessionId);
  if (kept !== undefined) return kept;
  const live = (await RefreshToken.count({ where: { familyId: sessionId, revokedAt: null, expiresAt: { [Op.gt]: new Date() } } })) > 0;
  liveSessions.set(sessionId, live);
  return live;
}
export function forgetSession(sessionId: string): void {
  liveSessions.delete(sessionId);
}

/** Ends every session of a user (logout everywhere, password change, account disabled): the caller
 * also bumps the user's token version in the same transaction; open sockets are closed after commit. */
export async function revokeAllRefreshTokens(userId: number, transaction?: Transaction): Promise<void> {
  await RefreshToken.update({ revokedAt: new Date() }, { where: { userId, revokedAt: null }, transaction });
  announceSessionsEnded(userId, transaction);
}

/** Expired and long-revoked tokens are of no use; keeps the table small. */
export async function pruneRefreshTokens(): Promise<number> {
  return RefreshToken.destroy({ where: { expiresAt: { [Op.lt]: new Date() } } });
}
