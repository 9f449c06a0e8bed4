// Two Saraban deployments on loopback for the exchange tests and bench: each a real server process
// with its own database and data directory (and so its own exchange key), driven through its API,
// and a small relay between them that can pass, duplicate, or lose the response of what it carries.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createThrowawayDatabase, ThrowawayDatabase, TestDialect } from '../helpers/databases';
import { call, freePort, startServer, stopServer, RunningServer } from '../helpers/server';
import { outgoingLetter } from '../registry/helpers';
import { DEMO_PASSWORD } from '../helpers/factories';
import { createDatabase } from '../../server/db';

export const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** Short backoff and freshness windows, so outages and replays play out in seconds. */
export const FAST_EXCHANGE = {
  EXCHANGE_POLL_MS: '200', EXCHANGE_BACKOFF_MS: '200', EXCHANGE_MAX_BACKOFF_MS: '1000', EXCHANGE_LEASE_MS: '2000', EXCHANGE_MAX_AGE_MS: '10000', EXCHANGE_CLOCK_SKEW_MS: '1000',
  EXCHANGE_MAX_BYTES: '2000000', EXCHANGE_RATE_LIMIT: '100000',
};

export class Deployment {
  server?: RunningServer;
  port = 0;
  private tokens = new Map<string, string>();
  constructor(public name: string, public db: ThrowawayDatabase, public dir: string, private env: Record<string, string>) {}

  static async create(name: string, dialect: TestDialect, env: Record<string, string> = {}): Promise<Deployment> {
    const db = await createThrowawayDatabase(dialect, `exchange${name}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `saraban-exchange-${name}-`));
    return new Deployment(name, db, dir, env);
  }

  get url() { return `http://127.0.0.1:${this.port}`; }
  get base() { return `${this.url}/api`; }
  get inbox() { return `${this.base}/exchange/inbox`; }

  async start(): Promise<void> {
    // Chosen at the first start, not at create: a port found free is bound only when the server starts,
    // and the other pass's tests, running beside this one, look for free ports meanwhile. Kept for restarts.
    if (!this.port) this.port = await freePort();
    this.server = await startServer({
      DATABASE_URL: this.db.url, DATA_DIR: this.dir, JWT_SECRET: `exchange-test-secret-${this.name}-0123456789abcdef`, PUBLIC_URL: this.url,
      EXCHANGE_KEY_SECRET: `exchange-key-secret-${this.name}-0123456789abcdef`, ...FAST_EXCHANGE, ...this.env,
    }, this.port);
    this.tokens.clear();
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.server) await stopServer(this.server.child, signal);
    this.server = undefined;
  }

  async drop(): Promise<void> {
    await this.stop('SIGKILL');
    await this.db.drop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** A statement on this deployment's database from outside: e.g. a row made hours older, instead of waiting hours. */
  async sql(query: string, replacements: unknown[] = []): Promise<void> {
    const db = createDatabase(this.db.url, { models: false, watchStrayQueries: false });
    try {
      await db.sequelize.query(query, { replacements });
    } finally {
      await db.close();
    }
  }

  async token(username: string): Promise<string> {
    if (!this.tokens.has(username)) {
      const login = await call(this.base, 'POST', '/auth/login', undefined, { username, password: DEMO_PASSWORD });
      expect(login.status, JSON.stringify(login.body)).to.equal(200);
      this.tokens.set(username, login.body.accessToken);
    }
    return this.tokens.get(username)!;
  }

  async as(username: string, method: string, route: string, body?: unknown) {
    return call(this.base, method, route, await this.token(username), body);
  }

  async orgId(agencyCode: string): Promise<number> {
    const orgs = (await this.as('admin', 'GET', '/organisations')).body.items as Array<{ id: number; agencyCode: string }>;
    return orgs.find((o) => o.agencyCode === agencyCode)!.id;
  }

  /** A numbered outgoing letter with a main file (and `enclosure`, if given), by `clerk` (central office, สธ 02). */
  async numberedLetter(subject: string, username = 'clerk', enclosure?: { filename: string; type: string; bytes: Buffer }): Promise<number> {
    const draft = await this.as(username, 'POST', '/documents', outgoingLetter({ subject }));
    expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
    const form = new FormData();
    form.set('role', 'main');
    form.set('file', new Blob([pdf], { type: 'application/pdf' }), 'หนังสือ.pdf');
    const up = await fetch(`${this.base}/documents/${draft.body.id}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${await this.token(username)}` }, body: form });
    expect(up.status, await up.clone().text()).to.equal(201);
    if (enclosure) {
      const more = new FormData();
      more.set('role', 'enclosure');
      more.set('file', new Blob([new Uint8Array(enclosure.bytes)], { type: enclosure.type }), enclosure.filename);
      const r = await fetch(`${this.base}/documents/${draft.body.id}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${await this.token(username)}` }, body: more });
      expect(r.status, await r.clone().text()).to.equal(201);
    }
    const books = (await this.as(username, 'GET', '/registers')).body.items as Array<{ id: number; kind: string; unitId: number | null }>;
    const outgoing = books.find((b) => b.kind === 'outgoing' && b.unitId === null)!;
    const reg = await this.as(username, 'POST', `/registers/${outgoing.id}/entries`, { documentId: draft.body.id });
    expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
    return draft.body.id;
  }

  /** This deployment's introduction of one of its organisations. */
  async introduce(agencyCode: string): Promise<{ file: string; certificateSha256: string }> {
    const r = await this.as('admin', 'GET', `/exchange/introduction?organisationId=${await this.orgId(agencyCode)}`);
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    return r.body;
  }

  async importPeer(file: string, endpointUrl?: string): Promise<{ id: number; certificateSha256: string }> {
    const r = await this.as('admin', 'POST', '/exchange/peers/import', { file });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    if (endpointUrl) expect((await this.as('admin', 'PATCH', `/exchange/peers/${r.body.peer.id}`, { endpointUrl })).status).to.equal(200);
    return r.body.peer;
  }

  async tray(username = 'cm.clerk', status?: string): Promise<Array<{ id: number; status: string; letter: { subject: string; letterNumber: string }; sender: { name: string; agencyCode: string }; files: Array<{ id: number; sha256?: string; size: number }> }>> {
    return (await this.as(username, 'GET', `/deliveries/arrivals?limit=500${status ? `&status=${status}` : ''}`)).body.items;
  }

  async delivery(id: number, username = 'clerk') {
    return (await this.as(username, 'GET', `/deliveries/${id}`)).body;
  }
}

/** Polls until `check` returns a value (not undefined), or fails with the last value after `ms`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`${what}: not reached in ${ms} ms${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export type RelayMode = 'pass' | 'duplicate' | 'lose-response';

/** Stands between a sender and a receiver's inbox: keeps what passed, and can deliver twice or lose the answer. */
export class Relay {
  mode: RelayMode = 'pass';
  bodies: Buffer[] = [];
  private server?: http.Server;
  port = 0;
  constructor(private target: () => string) {}

  get url() { return `http://127.0.0.1:${this.port}/inbox`; }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.handle(Buffer.concat(chunks), req.headers['content-type'] ?? 'application/jose+json', res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  private async handle(body: Buffer, type: string, res: http.ServerResponse) {
    this.bodies.push(body);
    const forward = () => fetch(this.target(), { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(body) });
    try {
      let answer = await forward();
      if (this.mode === 'duplicate') answer = await forward();
      if (this.mode === 'lose-response') {
        await answer.text();
        this.mode = 'pass'; // lost once: the retry goes through
        res.destroy();
        return;
      }
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      res.writeHead(502).end('{"error":{"code":"bad_gateway","message":"the receiver is down"}}');
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
