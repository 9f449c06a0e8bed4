// The browser's refresh token travels in an httpOnly cookie, never through page script: an injected
// script can use the session while the page is open but cannot carry the token away.
import type { CookieOptions, Request, Response } from 'express';
import { AppError } from '../../lib/errors';
import type { TokenSettings } from './tokens';

export const REFRESH_COOKIE = 'saraban_refresh';
/** Sent only to /api/auth/* (refresh and logout need it; login and password change set it). */
export const REFRESH_COOKIE_PATH = '/api/auth';
/**
 * The web app's header, `X-Saraban-Session: cookie`: "my refresh token lives in the cookie". It asks
 * for the token to be set as the cookie and left out of the body, and it must come with every
 * request that is authenticated by the cookie: a page on another site cannot send a custom header
 * without a CORS preflight, which this server never grants, so it cannot trigger a refresh (CSRF).
 */
export const SESSION_HEADER = 'x-saraban-session';

export const wantsCookie = (req: Request): boolean => req.get(SESSION_HEADER)?.trim().toLowerCase() === 'cookie';

function cookieOptions(req: Request): CookieOptions {
  // req.secure follows X-Forwarded-Proto only from proxies that TRUST_PROXY trusts.
  return { httpOnly: true, sameSite: 'strict', secure: req.secure, path: REFRESH_COOKIE_PATH };
}

export function setRefreshCookie(req: Request, res: Response, settings: TokenSettings, token: string): void {
  res.cookie(REFRESH_COOKIE, token, { ...cookieOptions(req), maxAge: settings.refreshTokenTtlSeconds * 1000 });
}

export function clearRefreshCookie(req: Request, res: Response): void {
  res.clearCookie(REFRESH_COOKIE, cookieOptions(req));
}

/** The refresh cookie's value as sent (undefined when absent), opaque: only its hash is looked up. */
function cookieValue(req: Request): string | undefined {
  for (const pair of (req.get('cookie') ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === REFRESH_COOKIE) return pair.slice(at + 1).trim();
  }
  return undefined;
}

export type RefreshSource = 'body' | 'cookie';

/**
 * The refresh token of a request and where it came from. A token in the body wins over the cookie:
 * the caller put it there on purpose. The cookie counts only with the session header (CSRF).
 */
export function presentedRefreshToken(req: Request, fromBody: string | undefined): { token: string; source: RefreshSource } | null {
  if (fromBody) return { token: fromBody, source: 'body' };
  const fromCookie = cookieValue(req);
  if (fromCookie === undefined || fromCookie === '') return null;
  if (!wantsCookie(req)) {
    throw new AppError(403, 'session_header_missing', `A refresh by cookie needs the header X-Saraban-Session: cookie (it proves the request comes from the web app, not another site).`);
  }
  return { token: fromCookie, source: 'cookie' };
}
