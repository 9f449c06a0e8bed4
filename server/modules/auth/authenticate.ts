// Bearer-token authentication for every non-public route.
import type { Request, RequestHandler } from 'express';
import { unauthorized } from '../../lib/errors';
import { loadActor, Actor } from './actor';
import { AccessClaims, sessionLive, TokenSettings, verifyAccessToken } from './tokens';

const ACTOR = Symbol('actor');

export function authenticator(settings: TokenSettings): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return next(unauthorized());
    const { actor } = await actorForAccessToken(settings, match[1]);
    (req as Request & { [ACTOR]: Actor })[ACTOR] = actor;
    next();
  };
}

/** The one check of an access token, for requests and for sockets: signature and expiry, an active
 * account, its token version (logout everywhere, password change) and its session (plain logout). */
export async function actorForAccessToken(settings: TokenSettings, token: string): Promise<{ actor: Actor; claims: AccessClaims }> {
  const claims = verifyAccessToken(settings, token);
  const actor = await loadActor(Number(claims.sub));
  if (!actor) throw unauthorized('The account no longer exists or is disabled.', 'account_inactive');
  if (actor.user.tokenVersion !== claims.tv) throw unauthorized('The session was ended (logout or password change); sign in again.', 'token_revoked');
  if (!(await sessionLive(claims.sid))) throw unauthorized('This session was signed out; sign in again.', 'session_ended');
  return { actor, claims };
}

export function actorOf(req: Request): Actor {
  const actor = (req as Request & { [ACTOR]?: Actor })[ACTOR];
  if (!actor) throw unauthorized();
  return actor;
}
