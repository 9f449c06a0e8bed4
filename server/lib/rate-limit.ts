// Rate limits of the public routes (no account: the confirmation links of e-mailed letters, the
// citizens' channel), answering 429 in the one JSON error shape with Retry-After. express-rate-limit's
// memory store is per server process: with several processes each counts its own share, so an
// address gets at most N times the limit, which still stops a flood.
import type { Request, RequestHandler } from 'express';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import { AppError } from './errors';

export interface Limit { max: number; windowMs: number }

export const tooManyRequests = (message: string, windowMs: number) =>
  new AppError(429, 'too_many_requests', message, undefined, { 'Retry-After': String(Math.ceil(windowMs / 1000)) });

/** The client's address as the limit counts it (an IPv6 client by its /56, as express-rate-limit advises). */
export const addressKey = (req: Request) => ipKeyGenerator(req.ip ?? '');

export function limiter(limit: Limit, message: string, options: { key?: (req: Request) => string; skipSuccessfulRequests?: boolean } = {}): RequestHandler {
  return rateLimit({
    windowMs: limit.windowMs,
    limit: limit.max,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skipSuccessfulRequests: options.skipSuccessfulRequests ?? false,
    keyGenerator: options.key ?? addressKey,
    handler: (_req, _res, next) => next(tooManyRequests(message, limit.windowMs)),
  });
}
