// Hostile-input sweep over every operation the API publishes in /api/openapi.json (read at test
// time, so a new route is swept without anyone remembering to add it). Whatever arrives — broken
// JSON, wrong types, huge or poisoned strings, odd ids, bad percent-encoding, deep nesting — the
// answer must be a 4xx (or a success), never a 5xx, on either database.
//
// Shared demo data stays intact: requests that could pass validation and write are sent only as
// users of a throwaway organisation made here; the demo admin and clerk (who see real data) get
// every read, and only malformed variants (which cannot pass validation) of every write.
import { expect } from 'chai';
import type { Test } from 'supertest';
import { api, buildOrganisation, buildUser, login, Session } from '../helpers/factories';
import { testDialect } from '../helpers/env';

type Schema = {
  $ref?: string; type?: string; format?: string; enum?: unknown[]; properties?: Record<string, Schema>; required?: string[];
  items?: Schema; minLength?: number; maxLength?: number; minimum?: number; nullable?: boolean; allOf?: Schema[]; anyOf?: Schema[]; oneOf?: Schema[];
};
type Param = { name: string; in: 'path' | 'query'; schema: Schema };
type Operation = { method: string; path: string; params: Param[]; body?: Schema; multipart: boolean; public: boolean };
/**
 * mayWrite: may be sent bodies that pass validation; thorough: every hostile path and query value (else a few);
 * halfOfBodies: of the hostile bodies beyond the malformed ones, every other one, the other half in the other
 * database's pass (the sweep admin sends them all; together the two passes send the clerk every one).
 */
type Actor = { name: string; auth?: { Authorization: string }; mayWrite: boolean; thorough: boolean; halfOfBodies?: boolean };
type Failure = { actor: string; method: string; url: string; payload: string; status: number; body: string };

const THAI = 'ก';
const DEPTH = 5000;
/** Over the 64 KB of a MariaDB TEXT column, well under the 1 MB body limit. One unbroken run of
 * Latin letters: Thai word segmentation of long Thai text stalls today (issue 12 item 5), which
 * this sweep is not about. */
const HUGE = 'x'.repeat(70000);
/** The longest string a schema allows: Thai (3 bytes a character in MariaDB) where short enough to segment quickly. */
const atMax = (n: number) => (n <= 2000 ? THAI : 'x').repeat(n);
const deep = (depth = DEPTH) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const HOSTILE_STRINGS: Record<string, string> = {
  nul: 'a\u0000b',
  loneSurrogate: 'a\ud800b',
  loneLowSurrogate: '\udc00',
  rtl: '\u202egpj.exe\u200f\u061c',
  sql: "x'); DROP TABLE users; -- ' OR '1'='1",
  traversal: '../../../../etc/passwd',
  huge: HUGE,
};
// Path values are sent percent-encoded (raw non-ASCII cannot go into a request line).
const HOSTILE_IDS = ['-1', '0', '2147483648', '99999999999999999999999', '1e308', 'abc', '%FF', '%E0%A4', '%00', '%ED%A0%80', '..%2F..%2Fetc%2Fpasswd', "1'%20OR%20'1'%3D'1", '%E2%80%AE1', '__proto__', 'constructor'];
const HOSTILE_QUERY_VALUES = ['%FF', '%E0%A4', '%00', '%ED%A0%80', '-1', '99999999999999999999999', 'abc', "'%20OR%201%3D1%20--", '..%2F..%2F', '%E2%80%AE', '%E0%B8%81'.repeat(1500)];
/** No such row anywhere: a well-formed id whose only effect is a 404 after validation. */
const MISSING_ID = '987654';

/** The first bodyVariants, sent to every actor: JSON that cannot parse or has the wrong shape. */
const MALFORMED_BODIES = 4;
/** Which half of the hostile bodies a halfOfBodies actor sends in this database's pass. */
const half = testDialect() === 'sqlite' ? 0 : 1;

/** Routes that take only signed messages: nothing malformed may succeed there either, so anything but a 4xx fails. */
const SIGNED_ONLY = new Set(['POST /exchange/inbox']);

// Runs last, for the throwaway users only: they end the sweep user's own session.
const RUN_LAST = new Set(['POST /auth/logout', 'POST /auth/password']);

function resolver(doc: { components?: { schemas?: Record<string, Schema> } }) {
  const resolve = (s: Schema | undefined, seen = 0): Schema | undefined => {
    if (!s || seen > 20) return s;
    if (s.$ref) return resolve(doc.components?.schemas?.[s.$ref.split('/').pop()!], seen + 1);
    if (s.allOf?.length) return resolve(Object.assign({}, ...s.allOf.map((x) => resolve(x, seen + 1))), seen + 1);
    return s;
  };
  return resolve;
}

/** A plausible valid value for a schema, so a hostile field is not refused only for its neighbours. */
function sample(s: Schema | undefined, resolve: ReturnType<typeof resolver>, depth = 0): unknown {
  const schema = resolve(s);
  if (!schema || depth > 6) return 'x';
  const variant = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (variant) return sample(variant, resolve, depth + 1);
  if (schema.enum?.length) return schema.enum[0];
  switch (schema.type) {
    case 'integer': case 'number': return Math.max(1, schema.minimum ?? 1);
    case 'boolean': return true;
    case 'array': return [];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = sample(schema.properties?.[key], resolve, depth + 1);
      return out;
    }
    default:
      if (schema.format === 'date-time') return new Date().toISOString();
      return 'ทดสอบ'.padEnd(Math.max(schema.minLength ?? 1, 5), 'ก').slice(0, schema.maxLength ?? 50);
  }
}

/** Raw JSON texts for one operation's body: broken, wrong-shaped, and a hostile value in each field. */
function bodyVariants(schema: Schema, resolve: ReturnType<typeof resolver>, malformedOnly: boolean): Array<{ label: string; text: string }> {
  const out = [
    { label: 'malformed JSON', text: '{"a": ' },
    { label: 'truncated array', text: '[1, 2' },
    { label: 'JSON array', text: '[1,2,3]' },
    { label: 'JSON string', text: '"x"' },
  ];
  if (malformedOnly) return out;
  const root = resolve(schema);
  const base = (sample(root, resolve) ?? {}) as Record<string, unknown>;
  const baseText = JSON.stringify(base);
  const withField = (key: string, raw: string) => {
    const rest = JSON.stringify({ ...base, [key]: undefined }).slice(1, -1);
    return `{${rest ? `${rest},` : ''}${JSON.stringify(key)}:${raw}}`;
  };
  out.push(
    { label: 'JSON null', text: 'null' },
    { label: '5000-deep object', text: deep() },
    { label: '__proto__ and constructor keys', text: `{"__proto__":{"isAdmin":true,"polluted":1},"constructor":{"prototype":{"polluted":1}},${baseText.slice(1)}` },
    { label: 'valid sample', text: baseText },
  );
  for (const [key, prop] of Object.entries(root?.properties ?? {})) {
    const field = resolve(prop)!;
    const type = field.type ?? (field.enum ? 'string' : field.anyOf || field.oneOf ? 'any' : 'any');
    const values: Array<[string, string]> = [
      ['wrong type (object)', '{"x":1}'],
      ['deep nesting', deep()],
      ['__proto__ key', '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}'],
      ['null', 'null'],
    ];
    if (type === 'string' || type === 'any') {
      values.push(['wrong type (number)', '12345'], ['wrong type (array)', '["a"]']);
      // A password is only hashed (about a second of argon2 each): send it only what validation must refuse.
      const hashedOnly = /password/i.test(key);
      for (const [name, value] of Object.entries(HOSTILE_STRINGS)) if (!hashedOnly || ['nul', 'loneSurrogate', 'huge'].includes(name)) values.push([name, JSON.stringify(value)]);
      // The longest the schema allows, in Thai: it must fit the column behind it (MariaDB counts bytes in TEXT).
      if (field.maxLength && field.maxLength <= 300000 && !hashedOnly) values.push([`at maxLength ${field.maxLength}`, JSON.stringify(atMax(field.maxLength))]);
    }
    if (type === 'integer' || type === 'number' || type === 'any') {
      values.push(['wrong type (string)', '"1; DROP TABLE users"'], ['negative', '-1'], ['huge', '1e308'], ['beyond 64 bits', '99999999999999999999999'], ['fraction', '1.5']);
    }
    if (type === 'boolean') values.push(['wrong type (string)', '"true"'], ['number', '1']);
    if (type === 'array') {
      values.push(['array of hostile strings', JSON.stringify(Object.values(HOSTILE_STRINGS).filter((v) => v !== HUGE))], ['array of objects', '[{"a":{"b":1}}]'], ['100,000 items', `[${'1,'.repeat(99999)}1]`]);
    }
    if (type === 'object') {
      values.push(['hostile keys', JSON.stringify({ 'a\u0000b': 1, '\ud800': 2, '../x': 3, "'; DROP": 4 })], ['hostile values', JSON.stringify(Object.fromEntries(Object.entries(HOSTILE_STRINGS).map(([k, v]) => [k, v])))]);
    }
    for (const [label, raw] of values) out.push({ label: `${key}: ${label}`, text: withField(key, raw) });
  }
  return out;
}

describe('hostile-input sweep over every operation in /api/openapi.json', () => {
  let operations: Operation[] = [];
  let resolve: ReturnType<typeof resolver>;
  let actors: Actor[] = [];
  const fixtures = { orgId: '', documentId: '', userId: '' };
  let forwardedFor = 0;

  before(async function () {
    this.timeout(60000);
    const doc = (await api().get('/api/openapi.json')).body;
    resolve = resolver(doc);
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>)) {
      for (const [method, op] of Object.entries(item)) {
        const content = (op.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)?.content ?? {};
        operations.push({
          method: method.toUpperCase(), path, params: (op.parameters as Param[] | undefined) ?? [],
          body: content['application/json']?.schema, multipart: !!content['multipart/form-data'],
          public: ((op.security as unknown[] | undefined) ?? []).length === 0,
        });
      }
    }
    operations = [...operations.filter((o) => !RUN_LAST.has(`${o.method} ${o.path}`)), ...operations.filter((o) => RUN_LAST.has(`${o.method} ${o.path}`))];

    // The throwaway organisation: its administrator and clerk may be sent anything.
    const org = await buildOrganisation();
    const sweepAdmin = await buildUser(org.id, { roles: ['system_admin', 'staff'] });
    const sweepClerk = await buildUser(org.id, { roles: ['registry_clerk', 'staff'] });
    const victim = await buildUser(org.id, { roles: ['staff'] });
    const [adminS, clerkS, demoAdmin, demoClerk]: Session[] = await Promise.all([login(sweepAdmin.username), login(sweepClerk.username), login('admin'), login('clerk')]);
    fixtures.orgId = String(org.id);
    fixtures.userId = String(victim.id);
    const draft = await api().post('/api/documents').set(clerkS.auth).send({ direction: 'internal', type: 'internal', subject: 'เอกสารของการทดสอบ' });
    fixtures.documentId = draft.status === 201 ? String(draft.body.id) : MISSING_ID;
    actors = [
      // Paths and queries are read before any role check: two thorough actors cover them, the
      // others send a few, to keep the sweep near a minute per database.
      { name: 'anonymous', mayWrite: true, thorough: false },
      { name: 'sweep admin', auth: adminS.auth, mayWrite: true, thorough: true },
      { name: 'sweep clerk', auth: clerkS.auth, mayWrite: true, thorough: false, halfOfBodies: true },
      { name: 'demo admin', auth: demoAdmin.auth, mayWrite: false, thorough: true },
      { name: 'demo clerk', auth: demoClerk.auth, mayWrite: false, thorough: false },
    ];
  });

  /** A valid id for a path parameter: the sweep's own rows where the route is about them, else a missing one. */
  const validParam = (path: string, name: string) => {
    if (name === 'orgId') return fixtures.orgId;
    if (name === 'userId') return fixtures.userId;
    if (name === 'id' && path.startsWith('/documents/')) return fixtures.documentId;
    if (name === 'id' && path.startsWith('/users/')) return fixtures.userId;
    if (name === 'key') return 'incoming_letter';
    return MISSING_ID;
  };
  const fill = (op: Operation, override?: [string, string]) =>
    op.path.replace(/\{(\w+)\}/g, (_m, name: string) => (override && override[0] === name ? override[1] : validParam(op.path, name)));

  it('answers every hostile request with less than 500, and still answers afterwards', async function () {
    this.timeout(600000);
    const failures: Failure[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    const send = async (actor: Actor, op: Operation, url: string, payload: string, body?: string) => {
      let req: Test = (api() as unknown as Record<string, (u: string) => Test>)[op.method.toLowerCase()](`/api${url}`);
      // A fresh address per request: failed sign-ins here must not use up the test run's login budget.
      forwardedFor += 1;
      req = req.set('X-Forwarded-For', `10.${(forwardedFor >> 16) & 255}.${(forwardedFor >> 8) & 255}.${forwardedFor & 255}`);
      if (actor.auth) req = req.set(actor.auth);
      if (body !== undefined) req = req.set('Content-Type', 'application/json').send(body);
      const t0 = Date.now();
      const res = await req;
      if (process.env.SWEEP_SLOW && Date.now() - t0 > 300) console.log(`slow ${Date.now() - t0} ms ${actor.name} ${op.method} ${url.slice(0, 80)} ${payload.slice(0, 60)} -> ${res.status}`);
      sent += 1;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500 || (SIGNED_ONLY.has(`${op.method} ${op.path}`) && (res.status < 400 || res.status > 499))) {
        failures.push({ actor: actor.name, method: op.method, url: url.length > 160 ? `${url.slice(0, 160)}…` : url, payload, status: res.status, body: (res.text ?? '').slice(0, 300) });
      }
    };
    const started = Date.now();
    for (const actor of actors) {
      for (const op of operations) {
        const writes = op.method !== 'GET';
        const full = actor.mayWrite || !writes;
        // Anonymous requests stop at authentication: a few suffice, except on public routes.
        const thorough = actor.thorough || op.public;
        const plainBody = op.body ? JSON.stringify(sample(op.body, resolve)) : undefined;
        // Public routes do not look at the token: the anonymous pass covers them.
        if (op.public && actor.auth) continue;
        // Hostile path parameters (the body, if any, a valid sample).
        for (const p of op.params.filter((x) => x.in === 'path')) {
          for (const id of thorough ? HOSTILE_IDS : HOSTILE_IDS.slice(6, 8)) await send(actor, op, fill(op, [p.name, id]), `path ${p.name}=${id}`, full ? plainBody : '{"a":');
        }
        // Hostile query strings, encoded and repeated (and an undeclared `q` on every read).
        const queries = op.params.filter((x) => x.in === 'query').map((x) => x.name);
        if (!writes && !queries.includes('q')) queries.push('q');
        if (full) {
          for (const name of thorough ? queries : queries.slice(0, 1)) {
            for (const value of thorough ? HOSTILE_QUERY_VALUES : HOSTILE_QUERY_VALUES.slice(0, 1)) await send(actor, op, `${fill(op)}?${name}=${value}`, `query ${name}=${value.slice(0, 30)}`, plainBody);
            if (thorough) {
              await send(actor, op, `${fill(op)}?${name}=1&${name}=2`, `query ${name} repeated`, plainBody);
              await send(actor, op, `${fill(op)}?${name}[__proto__][x]=1&${name}[a]=1`, `query ${name} as an object`, plainBody);
            }
          }
        }
        // Bodies: every write gets the malformed ones; the throwaway users get a hostile value in each field.
        if (op.body && writes) {
          const variants = bodyVariants(op.body, resolve, !full || (!actor.auth && !op.public));
          const mine = actor.halfOfBodies ? variants.filter((_v, i) => i < MALFORMED_BODIES || i % 2 === half) : variants;
          for (const v of mine) await send(actor, op, fill(op), `body ${v.label}`, v.text);
        }
        if (op.multipart && writes) await send(actor, op, fill(op), 'JSON where multipart is expected', '{"file":"x"}');
      }
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(`      hostile sweep: ${operations.length} operations, ${sent} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
    const health = await api().get('/api/health');
    expect(health.status, 'the server still answers /api/health after the sweep').to.equal(200);
    expect(operations.some((o) => SIGNED_ONLY.has(`${o.method} ${o.path}`)), 'the exchange inbox is in the document, so it is swept').to.equal(true);
    const report = failures.map((f) => `${f.status} ${f.actor}: ${f.method} ${f.url}  [${f.payload.slice(0, 80)}]  ${f.body}`).join('\n');
    expect(failures, `${failures.length} requests got a 5xx:\n${report}`).to.have.length(0);
  });
});
