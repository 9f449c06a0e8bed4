// Socket.io test clients against a real server on a loopback port.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connectClient, Socket } from 'socket.io-client';
import jwt from 'jsonwebtoken';
import { OutboxEvent, User } from '../../server/db/models';
import { issueRefreshToken, signAccessToken } from '../../server/modules/auth/tokens';
import { recordEvent, DomainEvent } from '../../server/modules/events/outbox';
import { testEnv } from './env';

export interface Received {
  id: number;
  type: string;
  subject: { type: string; id: string };
  summary: Record<string, unknown>;
  processKeys: string[];
  organisationId: number | null;
}

export interface TestClient {
  socket: Socket;
  events: Received[];
  /** 'resync' messages: the server asks the client to re-read through the API. */
  resyncs: Array<{ reason: string; lastEventId: number }>;
  ids(): number[];
  waitFor(predicate: (events: Received[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

export async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An access token of a new sign-in session of the user (as the login route issues). */
export async function tokenFor(user: User): Promise<string> {
  const { sessionId } = await issueRefreshToken(testEnv().ctx.tokens, user.id);
  return signAccessToken(testEnv().ctx.tokens, user, sessionId);
}

/** Connects and resolves once connected; rejects with the server's refusal (message and data.code). */
export function connect(url: string, auth: Record<string, unknown>, options: { reconnection?: boolean } = {}): Promise<TestClient> {
  const socket = connectClient(url, { auth, transports: ['websocket'], reconnection: options.reconnection ?? false, forceNew: true });
  const events: Received[] = [];
  socket.on('event', (e: Received) => events.push(e));
  const resyncs: TestClient['resyncs'] = [];
  socket.on('resync', (r: TestClient['resyncs'][number]) => resyncs.push(r));
  const client: TestClient = {
    socket,
    events,
    resyncs,
    ids: () => events.map((e) => e.id),
    waitFor: (predicate, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          if (predicate(events)) return resolve();
          if (Date.now() - started > timeoutMs) return reject(new Error(`timed out; received ${JSON.stringify(events.map((e) => [e.id, e.type]))}`));
          setTimeout(check, 10);
        };
        check();
      }),
    close: () => void socket.disconnect(),
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client));
    socket.once('connect_error', (err: Error & { data?: unknown }) => {
      socket.disconnect();
      reject(err);
    });
  });
}

/** Commits one event through the real path: recordEvent inside a transaction. Returns its id. */
export async function commitEvent(event: Partial<DomainEvent> & Pick<DomainEvent, 'audience'>): Promise<number> {
  return testEnv().ctx.db.sequelize.transaction(async (t) => {
    await recordEvent(t, { type: 'task.created', organisationId: null, subject: { type: 'task', id: 1 }, summary: {}, ...event });
    return Number(await OutboxEvent.max('id', { transaction: t }));
  });
}

export function expiredTokenFor(user: User): string {
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign({ sub: String(user.id), org: user.organisationId, tv: user.tokenVersion, iat: now - 120, exp: now - 60 }, testEnv().ctx.tokens.secret, { algorithm: 'HS256', issuer: 'saraban' });
}
