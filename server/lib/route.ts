// One way to declare a route: its schemas validate the request and describe it in OpenAPI,
// so the document cannot drift from what the server accepts.
import type { Request, Response, RequestHandler, Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z, ErrorSchema } from './openapi';
import { AppError } from './errors';

/** Field messages in Thai for a client that prefers it (Accept-Language: th; the web app sends its
 * UI language); English otherwise. A schema's own message is kept as written. */
const thai = { error: z.locales.th().localeError };

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type AnyZod = z.ZodType;
type Infer<T> = T extends AnyZod ? z.output<T> : undefined;

export interface RouteSpec<P, Q, B, A> {
  method: Method;
  /** Express-style path relative to /api, e.g. `/units/:id`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Routes need a signed-in user unless `public: true`. */
  public?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * A multipart/form-data body (file uploads). It only describes the form fields in OpenAPI
   * (files as `z.string().openapi({ format: 'binary' })`): the handler reads the stream itself,
   * so it is not parsed here. A route has either `body` or `multipart`.
   */
  multipart?: AnyZod;
  /** Status of success (200 by default; 201 for creations, 204 for no content). */
  status?: 200 | 201 | 202 | 204;
  response?: AnyZod;
  /** Extra middleware that runs before validation (e.g. rate limiting). */
  before?: RequestHandler[];
  handler: (input: { params: Infer<P>; query: Infer<Q>; body: Infer<B>; actor: A; req: Request; res: Response }) => Promise<unknown>;
}

const errorResponses = {
  400: 'The request is not valid (details say which field and why).',
  401: 'No valid access token.',
  403: 'Signed in, but not allowed to do this.',
  404: 'Not found.',
  409: 'Conflicts with the current state.',
  413: 'The request body is too large.',
  422: 'Understood, but cannot be processed as it is.',
  429: 'Too many requests; try again later.',
};

/** A schema's own message is kept as written, unless it carries a Thai one (params.th) for a Thai client. */
function issuesOf(location: string, error: z.ZodError, thai = false) {
  return error.issues.map((issue) => {
    const params = (issue as { params?: { status?: number; th?: string } }).params;
    return { location, path: issue.path.join('.'), message: (thai && params?.th) || issue.message, status: params?.status };
  });
}

/** Deeper than any request body of this API; checked before a schema walks the value. */
const MAX_INPUT_DEPTH = 64;
// NUL ends strings in SQLite's C API (the query breaks) and an unpaired surrogate is not
// UTF-8 at all (MariaDB refuses it): neither is text a person wrote, so no route accepts them.
// eslint-disable-next-line no-control-regex
const NOT_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const notTextMessage = { en: 'Contains a NUL character or an unpaired surrogate, which is not text.', th: 'มีอักขระ NUL หรืออักขระที่ไม่ใช่ข้อความ' };

/** Every string and key of an input, checked without recursion: the first poisoned one, or too deep. */
function screen(location: string, value: unknown, thai: boolean) {
  const stack: Array<[unknown, string[]]> = [[value, []]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (path.length > MAX_INPUT_DEPTH) {
      return { location, path: path.slice(0, 3).join('.') + '…', message: thai ? `ซ้อนกันลึกเกิน ${MAX_INPUT_DEPTH} ชั้น` : `Nested more than ${MAX_INPUT_DEPTH} levels deep.`, status: 413 };
    }
    if (typeof v === 'string' && NOT_TEXT.test(v)) return { location, path: path.join('.'), message: notTextMessage[thai ? 'th' : 'en'] };
    if (v && typeof v === 'object') {
      for (const [key, child] of Object.entries(v)) {
        if (NOT_TEXT.test(key)) return { location, path: [...path, '(a key)'].join('.'), message: notTextMessage[thai ? 'th' : 'en'] };
        stack.push([child, [...path, key]]);
      }
    }
  }
  return undefined;
}

export class Api<A> {
  constructor(
    private router: Router,
    private registry: OpenAPIRegistry,
    private authenticate: RequestHandler,
    private actorOf: (req: Request) => A,
  ) {}

  route<P extends AnyZod | undefined, Q extends AnyZod | undefined, B extends AnyZod | undefined>(spec: RouteSpec<P, Q, B, A>): void {
    const status = spec.status ?? 200;
    this.registry.registerPath({
      method: spec.method,
      path: spec.path.replace(/:(\w+)/g, '{$1}'),
      tags: [spec.tag],
      summary: spec.summary,
      description: spec.description,
      security: spec.public ? [] : [{ bearer: [] }],
      request: {
        ...(spec.params ? { params: spec.params as never } : {}),
        ...(spec.query ? { query: spec.query as never } : {}),
        ...(spec.body ? { body: { required: true, content: { 'application/json': { schema: spec.body } } } } : {}),
        ...(spec.multipart ? { body: { required: true, content: { 'multipart/form-data': { schema: spec.multipart } } } } : {}),
      },
      responses: {
        [status]: {
          description: status === 204 ? 'Done; no content.' : 'Success.',
          ...(spec.response ? { content: { 'application/json': { schema: spec.response } } } : {}),
        },
        ...Object.fromEntries(
          Object.entries(errorResponses)
            .filter(([code]) => !spec.public || code !== '401')
            .map(([code, description]) => [code, { description, content: { 'application/json': { schema: ErrorSchema } } }]),
        ),
      },
    });

    const validate: RequestHandler = (req, res, next) => {
      const problems: Array<{ location: string; path: string; message: string; status?: number }> = [];
      const parsed: Record<string, unknown> = {};
      const prefersThai = req.acceptsLanguages('en', 'th') === 'th';
      for (const [location, schema, value] of [
        ['params', spec.params, req.params],
        ['query', spec.query, req.query],
        ['body', spec.body, req.body],
      ] as const) {
        const poisoned = screen(location, value, prefersThai);
        if (poisoned) {
          problems.push(poisoned);
          continue;
        }
        if (!schema) continue;
        const result = schema.safeParse(value ?? (location === 'body' ? undefined : {}), prefersThai ? thai : undefined);
        if (result.success) parsed[location] = result.data;
        else problems.push(...issuesOf(location, result.error, prefersThai));
      }
      if (problems.some((p) => p.status === 413)) {
        return next(new AppError(413, 'payload_too_large', 'The request is too large or too deeply nested.', problems.map(({ status: _s, ...p }) => p)));
      }
      if (problems.length) return next(new AppError(400, 'validation_failed', 'The request is not valid.', problems.map(({ status: _s, ...p }) => p)));
      res.locals.input = parsed;
      next();
    };

    const handle: RequestHandler = async (req, res) => {
      const input = res.locals.input as { params: Infer<P>; query: Infer<Q>; body: Infer<B> };
      const result = await spec.handler({ ...input, actor: spec.public ? (undefined as A) : this.actorOf(req), req, res });
      if (res.headersSent) return;
      if (status === 204 || result === undefined) res.status(204).end();
      else res.status(status).json(result);
    };

    const chain = [...(spec.before ?? []), ...(spec.public ? [] : [this.authenticate]), validate, handle];
    this.router[spec.method](spec.path, ...chain);
  }
}

/** Common schema pieces. */
export const idParam = z.object({ id: z.coerce.number().int().positive().openapi({ type: 'integer', example: 1 }) });
export const orgIdParam = z.object({ orgId: z.coerce.number().int().positive().openapi({ type: 'integer', example: 1 }) });
export const paging = {
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ type: 'integer' }),
  offset: z.coerce.number().int().min(0).default(0).openapi({ type: 'integer' }),
};
