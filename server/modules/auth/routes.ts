// Sign-in: login, refresh, logout, password change, and "who am I".
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import { Api } from '../../lib/route';
import { z } from '../../lib/openapi';
import { AppError, unauthorized, unprocessable } from '../../lib/errors';
import { Organisation, Position, Unit, User } from '../../db/models';
import type { AppContext } from '../../context';
import { forgetActors, type Actor } from './actor';
import * as S from './schemas';
import { clearRefreshCookie, presentedRefreshToken, setRefreshCookie, wantsCookie } from './refresh-cookie';
import { User as UserSchema, Organisation as OrganisationSchema, Unit as UnitSchema, Position as PositionSchema } from '../org/schemas';
import { presentUser, presentOrganisation, presentUnit, presentPosition, userGroups } from '../org/service';
import { burnPasswordCheck, hashPassword, verifyPassword } from './passwords';
import { issueRefreshToken, revokeAllRefreshTokens, revokeRefreshToken, rotateRefreshToken, signAccessToken } from './tokens';

const TAG = 'Sign-in';

const tooMany = (message: string, windowMs: number) =>
  new AppError(429, 'too_many_requests', message, undefined, { 'Retry-After': String(Math.ceil(windowMs / 1000)) });

/** Failed logins are limited per account and address, and more loosely per address alone. */
function loginLimiters(ctx: AppContext): RequestHandler[] {
  const { max, windowMs } = ctx.config.loginRateLimit;
  const perAccount = rateLimit({
    windowMs,
    limit: max,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${String(req.body?.username ?? '').trim().toLowerCase()}`,
    handler: (_req, _res, next) => next(tooMany('Too many failed sign-ins for this account; wait and try again.', windowMs)),
  });
  const perAddress = rateLimit({
    windowMs,
    limit: max * 20,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(tooMany('Too many failed sign-ins from this address; wait and try again.', windowMs)),
  });
  return [perAddress, perAccount];
}

export function registerAuthRoutes(api: Api<Actor>, ctx: AppContext): void {
  const { sequelize } = ctx.db;
  /** A new token pair; the refresh token goes into the cookie for the web app, in the body otherwise. */
  const pair = async (req: Request, res: Response, user: User, refreshToken?: { token: string; sessionId: string }) => {
    const { token, sessionId } = refreshToken ?? (await issueRefreshToken(ctx.tokens, user.id));
    const access = { accessToken: signAccessToken(ctx.tokens, user, sessionId), tokenType: 'Bearer' as const, expiresIn: ctx.tokens.accessTokenTtlSeconds };
    if (!wantsCookie(req)) return { ...access, refreshToken: token };
    setRefreshCookie(req, res, ctx.tokens, token);
    return access;
  };

  api.route({
    method: 'post', path: '/auth/login', tag: TAG, summary: 'Sign in with username and password', public: true,
    before: loginLimiters(ctx), body: S.LoginBody, response: S.TokenPair,
    handler: async ({ body, req, res }) => {
      const user = await User.findOne({ where: { username: body.username.toLowerCase() } });
      if (!user) {
        await burnPasswordCheck(body.password);
        throw unauthorized('Wrong username or password.', 'invalid_credentials');
      }
      if (!(await verifyPassword(user.passwordHash, body.password))) throw unauthorized('Wrong username or password.', 'invalid_credentials');
      if (!user.active) throw unauthorized('This account is disabled.', 'account_inactive');
      await user.update({ lastLoginAt: new Date() });
      return pair(req, res, user);
    },
  });

  api.route({
    method: 'post', path: '/auth/refresh', tag: TAG, summary: 'Exchange a refresh token for a new token pair (the old one is revoked)', public: true,
    description: 'The refresh token comes in the body, or else from the web app\'s cookie (with the header `X-Saraban-Session: cookie`); the body wins if both are given.',
    body: S.RefreshBody, response: S.TokenPair,
    handler: async ({ body, req, res }) => {
      const presented = presentedRefreshToken(req, body?.refreshToken);
      if (!presented) throw unauthorized('No refresh token: send it in the body, or sign in again.', 'no_refresh_token');
      try {
        const { user, refreshToken } = await rotateRefreshToken(sequelize, ctx.tokens, presented.token);
        return await pair(req, res, user, refreshToken);
      } catch (err) {
        // A cookie that cannot refresh any more is of no use: the browser stops sending it.
        if (presented.source === 'cookie' && err instanceof AppError && err.status === 401) clearRefreshCookie(req, res);
        throw err;
      }
    },
  });

  api.route({
    method: 'post', path: '/auth/logout', tag: TAG, summary: 'Sign out: end this session (its refresh token from the body or the cookie), or every session with everywhere=true',
    body: S.LogoutBody, status: 204,
    handler: async ({ body, actor, req, res }) => {
      if (wantsCookie(req) || body.everywhere) clearRefreshCookie(req, res);
      if (body.everywhere) {
        await sequelize.transaction(async (transaction) => {
          await revokeAllRefreshTokens(actor.userId, transaction);
          await User.increment('tokenVersion', { where: { id: actor.userId }, transaction });
          transaction.afterCommit(forgetActors); // increment runs no model hooks
        });
        return;
      }
      const presented = presentedRefreshToken(req, body.refreshToken);
      if (!presented) throw unprocessable('Give the refreshToken to revoke, or everywhere: true.');
      await revokeRefreshToken(actor.userId, presented.token);
    },
  });

  api.route({
    method: 'post', path: '/auth/password', tag: TAG, summary: 'Change my password (ends all my sessions and returns a new token pair)',
    body: S.PasswordBody, response: S.TokenPair,
    handler: async ({ body, actor, req, res }) => {
      const user = actor.user;
      if (!(await verifyPassword(user.passwordHash, body.currentPassword))) throw new AppError(403, 'wrong_password', 'The current password is wrong.');
      if (body.newPassword === body.currentPassword) throw unprocessable('The new password must differ from the current one.');
      const passwordHash = await hashPassword(body.newPassword);
      await sequelize.transaction(async (transaction) => {
        await user.update({ passwordHash, tokenVersion: user.tokenVersion + 1 }, { transaction });
        await revokeAllRefreshTokens(user.id, transaction);
      });
      return pair(req, res, user);
    },
  });

  api.route({
    method: 'get', path: '/me', tag: TAG, summary: 'Who I am: my organisation, unit, position, roles and the capacities I may act in',
    response: z
      .object({
        user: UserSchema,
        organisation: OrganisationSchema,
        unit: UnitSchema.nullable(),
        position: PositionSchema.nullable(),
        capacities: z.array(S.CapacitySchema),
      })
      .openapi('Me'),
    handler: async ({ actor }) => {
      const [organisation, unit, position, groups] = await Promise.all([
        Organisation.findByPk(actor.organisationId),
        actor.unitId ? Unit.findByPk(actor.unitId) : null,
        actor.user.positionId ? Position.findByPk(actor.user.positionId) : null,
        userGroups(actor.userId),
      ]);
      return {
        user: presentUser(actor.user, groups),
        organisation: presentOrganisation(organisation!),
        unit: unit ? presentUnit(unit) : null,
        position: position ? presentPosition(position) : null,
        capacities: actor.capacities.map((c) => (c.capacity === 'self' ? { ...c, positionTitleTh: position?.titleTh } : c)),
      };
    },
  });
}
