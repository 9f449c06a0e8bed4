// One error type and one handler: every failure leaves as { error: { code, message, details } }.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { BaseError, ConnectionAcquireTimeoutError, UniqueConstraintError, ForeignKeyConstraintError, ValidationError as SequelizeValidationError } from 'sequelize';

export class AppError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public details?: unknown,
    public headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) => new AppError(400, 'bad_request', message, details);
export const unauthorized = (message = 'Sign in first: a valid access token is required.', code = 'unauthorized') =>
  new AppError(401, code, message, undefined, { 'WWW-Authenticate': 'Bearer' });
export const forbidden = (message = 'You may not do this.') => new AppError(403, 'forbidden', message);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} was not found.`);
export const conflict = (message: string, details?: unknown) => new AppError(409, 'conflict', message, details);
export const unprocessable = (message: string, details?: unknown) => new AppError(422, 'unprocessable', message, details);

export const notFoundRoute: RequestHandler = (req, _res, next) => {
  next(new AppError(404, 'route_not_found', `No route ${req.method} ${req.path}.`));
};

/** Maps body-parser, Sequelize and unknown errors onto the one shape; never leaks a stack trace. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { type?: string; status?: number; expose?: boolean; message?: string };
  if (e?.type === 'entity.too.large') return new AppError(413, 'payload_too_large', 'The request body is too large.');
  if (e?.type === 'entity.parse.failed') return new AppError(400, 'malformed_json', 'The request body is not valid JSON.');
  if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') return new AppError(415, 'unsupported_encoding', e.message ?? 'Unsupported encoding.');
  // The router decodes path parameters with decodeURIComponent: `/api/documents/%FF` is the client's mistake.
  if (err instanceof URIError) return new AppError(400, 'malformed_uri', 'The address holds malformed percent-encoding.');
  if (err instanceof UniqueConstraintError) {
    return conflict('A record with the same unique value already exists.', err.errors.map((x) => ({ field: x.path, message: x.message })));
  }
  if (err instanceof ForeignKeyConstraintError) {
    return conflict('The change conflicts with related records (it is referenced, or refers to something that does not exist).');
  }
  if (err instanceof SequelizeValidationError) {
    return unprocessable('The record is not valid.', err.errors.map((x) => ({ field: x.path, message: x.message })));
  }
  // Every database connection of this process stayed busy for DB_POOL_ACQUIRE_MS: overload, not a
  // fault; nothing was written, and the client may try again shortly.
  if (err instanceof ConnectionAcquireTimeoutError) {
    return new AppError(503, 'busy', 'The server is busy; nothing was changed. Try again in a few seconds.', undefined, { 'Retry-After': '5' });
  }
  if (e && typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
    return new AppError(e.status, 'bad_request', e.message ?? 'Bad request.');
  }
  return new AppError(500, 'internal_error', 'Something went wrong on the server. It has been logged.');
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const appError = toAppError(err);
  // A 503 the server chose to give (renderer missing or busy) is a state, not a bug: its message is the log line.
  if (appError.status === 503 && err instanceof AppError) console.warn(`[busy] ${req.method} ${req.originalUrl}: ${appError.message}`);
  else if (appError.status >= 500) {
    console.error(`[error] ${req.method} ${req.originalUrl}:`, err instanceof BaseError ? err.message : err);
  }
  if (res.headersSent) return;
  if (appError.headers) res.set(appError.headers);
  res.status(appError.status).json({
    error: { code: appError.code, message: appError.message, ...(appError.details !== undefined ? { details: appError.details } : {}) },
  });
};
