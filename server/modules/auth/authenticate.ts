// Bearer-token authentication for every non-public route.
import type { Request, RequestHandler } from 'express';
import { unauthorized } from '../../lib/errors';
import { loadActor, Actor } from './actor';
import { TokenSettings, verifyAccessToken } from './tokens';

const ACTOR = Symbol('actor');

export function authenticator(settings: TokenSettings): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return next(unauthorized());
    const claims = verifyAccessToken(settings, match[1]);
    const actor = await loadActor(Number(claims.sub));
    if (!actor) return next(unauthorized('The account no longer exists or is disabled.', 'account_inactive'));
    if (actor.user.tokenVersion !== claims.tv) return next(unauthorized('The session was ended (logout or password change); sign in again.', 'token_revoked'));
    (req as Request & { [ACTOR]: Actor })[ACTOR] = actor;
    next();
  };
}

export function actorOf(req: Request): Actor {
  const actor = (req as Request & { [ACTOR]?: Actor })[ACTOR];
  if (!actor) throw unauthorized();
  return actor;
}
