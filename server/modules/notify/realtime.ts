// Live updates over Socket.io, sharing the HTTP server.
//
// Delivery, and why it is exactly once with many processes: every process tails the outbox itself
// (after each local commit, on a nudge from other processes through the Redis adapter, and by
// polling as a safety net) and emits each event only to ITS OWN sockets (`io.local`). A socket is
// connected to exactly one process, and each process walks the outbox once in id order, so each
// socket gets each event once and in order, with no cluster-wide lock on the hot path and no process
// holding state another needs. Replay (a client's last seen id, in the handshake or a 'resume'
// message) runs in the same serial loop before the socket joins its rooms, so replayed and live
// events never interleave out of order. With REDIS_URL the Redis adapter also carries broadcasts
// between processes (the commit nudge, and any `io.to(room)` emit made outside the dispatcher).
import type { Server as HttpServer } from 'node:http';
import { Server, Socket } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createClusterAdapter } from '@socket.io/cluster-adapter';
import { createClient } from 'redis';
import type { AppContext } from '../../context';
import { AppError, toAppError } from '../../lib/errors';
import { forgetActor, Actor } from '../auth/actor';
import { sessionSignal } from '../auth/sessions';
import { watchSessions } from './sessions';
import { actorForAccessToken } from '../auth/authenticate';
import { outboxSignal } from '../events/outbox';
import { addressedTo, audienceRooms, mayWatchMonitors, payloadOf, roomsFor } from './rooms';
import { subtreeOf } from '../org/policy';
import { idStep, inFlightProbe, lastEventId, readAfter } from './tail';
import { rounds } from './rounds';

export interface RealtimeOptions {
  /** Safety-net poll of the outbox (ms). */
  pollMs?: number;
  /** How long a gap in outbox ids is waited for before asking whether it is still in flight (see tail.ts). */
  gapGraceMs?: number;
  redisUrl?: string;
  /** One of several server processes of a node:cluster primary: without Redis, the processes nudge
   * each other through the primary (@socket.io/cluster-adapter); browsers use WebSocket only, since
   * the primary hands each connection to any process and long-polling needs one process per session. */
  clusterWorker?: boolean;
  /** A replay reads at most this many outbox rows; a client further behind is told to re-read ('resync'). */
  replayScanLimit?: number;
  /** How often each socket's session is checked against the database (ms): see sessions.ts. */
  sessionCheckMs?: number;
  log?: (line: string) => void;
}

export interface Realtime {
  io: Server;
  /** Runs one delivery round now (tests and benchmarks use it to wait for quiet). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

interface SocketData {
  actor: Actor;
  /** The token version the socket's access token was issued under. */
  tokenVersion: number;
  /** The sign-in session the token belongs to (a plain logout ends it). */
  sessionId: string;
  rooms: string[];
  /** Events after this id are replayed before the socket goes live (null: live only). */
  resumeAfter: number | null;
}

type AppSocket = Socket & { data: SocketData & { replayed?: () => void; waitUntil?: number } };

/** Every socket of a user, in every process (never the target of an event: see rooms.ts). */
const sessionRoom = (userId: number) => `session:${userId}`;

function tokenOf(socket: Socket): string | undefined {
  const auth = socket.handshake.auth as { token?: unknown } | undefined;
  if (typeof auth?.token === 'string' && auth.token) return auth.token.replace(/^Bearer\s+/i, '');
  const header = socket.handshake.headers.authorization;
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

function eventIdOf(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** Socket.io refuses the connection with this error; the client sees message and data.code. */
function refusal(err: unknown): Error {
  const app = err instanceof AppError ? err : toAppError(err);
  const error = new Error(app.message) as Error & { data: unknown };
  error.data = { code: app.code, status: app.status };
  return error;
}

export async function attachRealtime(httpServer: HttpServer, ctx: AppContext, options: RealtimeOptions = {}): Promise<Realtime> {
  const log = options.log ?? (() => {});
  const pollMs = options.pollMs ?? 1000;
  const gapGraceMs = options.gapGraceMs ?? 500;
  const inFlight = inFlightProbe(ctx.db.sequelize);
  const io = new Server(httpServer, { serveClient: false, cors: { origin: false }, ...(options.clusterWorker ? { transports: ['websocket' as const] } : {}) });
  const redisClients: Array<ReturnType<typeof createClient>> = [];

  if (options.redisUrl) {
    const pub = createClient({ url: options.redisUrl, socket: { connectTimeout: 5000, reconnectStrategy: (retries) => Math.min(retries * 200, 5000) } });
    const sub = pub.duplicate();
    pub.on('error', (err) => log(`redis: ${err.message}`));
    sub.on('error', (err) => log(`redis: ${err.message}`));
    // A configured Redis that cannot be reached is a start-up failure, not a silent single-process mode.
    await Promise.all([pub.connect(), sub.connect()]);
    redisClients.push(pub, sub);
    io.adapter(createAdapter(pub, sub, { key: 'saraban' }));
  } else if (options.clusterWorker) {
    io.adapter(createClusterAdapter());
  }

  /** Other processes hear of this one's commits (through Redis or the cluster's primary). */
  const fanOut = Boolean(options.redisUrl || options.clusterWorker);
  const step = await idStep(ctx.db.sequelize);

  io.use(async (socket, next) => {
    try {
      const token = tokenOf(socket);
      if (!token) throw new AppError(401, 'unauthorized', 'Sign in first: a valid access token is required.');
      const { actor, claims } = await actorForAccessToken(ctx.tokens, token);
      const data = (socket as AppSocket).data;
      data.actor = actor;
      data.tokenVersion = claims.tv;
      data.sessionId = claims.sid;
      data.rooms = roomsFor(actor, mayWatchMonitors(actor) ? await subtreeOf(actor.organisationId) : []);
      data.resumeAfter = eventIdOf((socket.handshake.auth as { lastEventId?: unknown } | undefined)?.lastEventId);
      // The socket lives no longer than its token: the client reconnects with a fresh one, which
      // also picks up changed groups and delegations.
      const exp = (claims as unknown as { exp?: number }).exp;
      if (exp) {
        const timer = setTimeout(() => socket.disconnect(true), Math.max(0, exp * 1000 - Date.now()));
        timer.unref();
        socket.once('disconnect', () => clearTimeout(timer));
      }
      next();
    } catch (err) {
      next(refusal(err));
    }
  });

  // --- the per-process dispatcher: one serial loop -------------------------------------------
  let cursor = await lastEventId();
  const waitingReplay = new Map<string, AppSocket>();

  async function replay(socket: AppSocket): Promise<void> {
    const data = socket.data;
    const rooms = new Set<string>(data.rooms);
    let after = data.resumeAfter ?? cursor;
    let budget = options.replayScanLimit ?? 20_000;
    if (cursor - after > budget * step) {
      // Too far behind to replay cheaply: the client re-reads its inbox through the API instead.
      socket.emit('resync', { reason: 'too_far_behind', lastEventId: cursor });
      after = cursor;
    }
    while (after < cursor && socket.connected && budget > 0) {
      // Up to the loop's cursor only: later events reach the socket live, once it has joined.
      const page = (await readAfter(after, { gapGraceMs: 0, step, limit: Math.min(500, budget) })).filter((e) => e.id <= cursor);
      budget -= page.length;
      if (!page.length) break;
      for (const event of page) if (addressedTo(event, rooms)) socket.emit('event', payloadOf(event));
      after = page[page.length - 1].id;
    }
    if (socket.connected) socket.join(data.rooms);
  }

  async function round(): Promise<void> {
    for (;;) {
      const events = await readAfter(cursor, { gapGraceMs, step, limit: 500, inFlight });
      for (const event of events) {
        const rooms = audienceRooms(event);
        if (rooms.length) io.local.to(rooms).emit('event', payloadOf(event));
        cursor = event.id;
      }
      if (events.length < 500) break;
    }
    // Sockets waiting for replay are in no room yet: they get (lastEventId, cursor] from the table,
    // then join, and everything after cursor reaches them live: in order, none twice, none lost.
    for (const [id, socket] of [...waitingReplay]) {
      if ((socket.data.resumeAfter ?? 0) > cursor && Date.now() < (socket.data.waitUntil ?? 0)) continue;
      waitingReplay.delete(id);
      await replay(socket);
      socket.data.replayed?.();
    }
  }

  const delivery = rounds(round, (err) => log(`realtime delivery: ${err instanceof Error ? err.message : String(err)}`));
  const kick = delivery.kick;

  io.on('connection', (raw) => {
    const socket = raw as AppSocket;
    // Joined at once, before any replay: an ended session closes the socket whatever it is doing.
    socket.join(sessionRoom(socket.data.actor.userId));
    const resume = (after: number | null, done?: () => void) => {
      for (const room of socket.data.rooms) socket.leave(room);
      socket.data.resumeAfter = after;
      socket.data.replayed = done;
      // A client coming from a process that is ahead waits (briefly) for this one to catch up.
      socket.data.waitUntil = Date.now() + gapGraceMs + pollMs;
      waitingReplay.set(socket.id, socket);
      void kick();
    };
    if (socket.data.resumeAfter === null) socket.join(socket.data.rooms);
    else resume(socket.data.resumeAfter);
    // 'resume' { lastEventId } → replays what was missed, then acks { ok: true }.
    socket.on('resume', (message: { lastEventId?: unknown } | undefined, ack?: (reply: unknown) => void) => {
      const after = eventIdOf(message?.lastEventId);
      if (after === null) return ack?.({ ok: false, error: 'lastEventId must be a non-negative integer' });
      resume(after, () => ack?.({ ok: true }));
    });
    socket.on('disconnect', () => waitingReplay.delete(socket.id));
  });

  const onCommit = () => {
    void kick();
    // Other processes tail the outbox now rather than at their next poll.
    if (fanOut) io.serverSideEmit('outbox:committed');
  };
  outboxSignal.on('committed', onCommit);
  io.on('outbox:committed' as never, (() => void kick()) as never);
  const poll = setInterval(() => void kick(), pollMs);
  poll.unref();
  const sessions = watchSessions(io, { checkMs: options.sessionCheckMs ?? 2000, log });
  // A session ended through this process: its user's sockets close in every process (the adapter
  // carries the disconnect to the others), which also forget the actor they keep for a few seconds
  // (auth/actor.ts), so a reconnect with the old token is refused there too. The periodic check is
  // the safety net.
  const onSessionsEnded = (userId: number) => {
    if (fanOut) io.serverSideEmit('session:ended', userId);
    io.in(sessionRoom(userId)).disconnectSockets(true);
  };
  sessionSignal.on('ended', onSessionsEnded);
  io.on('session:ended' as never, ((userId: unknown) => forgetActor(Number(userId))) as never);
  // One session signed out: the periodic check closes its sockets in every process; this one at once.
  const onSessionEnded = () => void sessions.check().catch((err: Error) => log(`realtime sessions: ${err.message}`));
  sessionSignal.on('session-ended', onSessionEnded);

  return {
    io,
    flush: delivery.flush,
    close: async () => {
      clearInterval(poll);
      sessions.stop();
      sessionSignal.off('ended', onSessionsEnded);
      sessionSignal.off('session-ended', onSessionEnded);
      outboxSignal.off('committed', onCommit);
      await delivery.close();
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      for (const c of redisClients) await c.quit().catch(() => {});
    },
  };
}
