// The safety net under revocation: every few seconds each process reads, in one query per thousand
// users, whether the users of its sockets are still active under the token version their socket's
// token carries, and closes the sockets of those who are not. It catches what the 'ended' signal
// cannot: a revocation made by a process without Redis, by hand in the database, or a handshake
// that passed on an actor kept for a few seconds (auth/actor.ts) just after the revocation. It also
// closes the sockets of a session signed out on its own (a plain logout: no live refresh token left).
import { QueryTypes } from 'sequelize';
import type { Server, Socket } from 'socket.io';
import { User } from '../../db/models';
import { sqlDate } from '../../db/transaction';

const CHUNK = 1000;

export function watchSessions(io: Server, options: { checkMs: number; log: (line: string) => void }): { check(): Promise<number>; stop(): void } {
  let running: Promise<number> | null = null;
  const check = () => (running ??= closeEnded(io).finally(() => (running = null)));
  const timer = options.checkMs > 0 ? setInterval(() => void check().catch((err: Error) => options.log(`realtime sessions: ${err.message}`)), options.checkMs) : null;
  timer?.unref();
  return { check, stop: () => timer && clearInterval(timer) };
}

/** Closes the sockets of this process whose session ended; returns how many. */
async function closeEnded(io: Server): Promise<number> {
  const byUser = new Map<number, Socket[]>();
  for (const socket of io.of('/').sockets.values()) {
    const userId = (socket.data as { actor?: { userId: number } }).actor?.userId;
    if (userId === undefined) continue;
    const list = byUser.get(userId);
    if (list) list.push(socket);
    else byUser.set(userId, [socket]);
  }
  const ids = [...byUser.keys()];
  const live = await liveSessionsAmong([...io.of('/').sockets.values()].map((s) => (s.data as { sessionId?: string }).sessionId).filter((id): id is string => Boolean(id)));
  let closed = 0;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await User.sequelize!.query<{ id: number; active: number | boolean; tokenVersion: number }>('SELECT id, active, tokenVersion FROM users WHERE id IN (:ids)', {
      replacements: { ids: ids.slice(i, i + CHUNK) }, type: QueryTypes.SELECT,
    });
    const current = new Map(rows.map((r) => [Number(r.id), r]));
    for (const userId of ids.slice(i, i + CHUNK)) {
      const user = current.get(userId);
      for (const socket of byUser.get(userId)!) {
        const tokenVersion = (socket.data as { tokenVersion?: number }).tokenVersion;
        const sessionId = (socket.data as { sessionId?: string }).sessionId;
        if (user && Boolean(Number(user.active)) && Number(user.tokenVersion) === tokenVersion && sessionId && live.has(sessionId)) continue;
        socket.disconnect(true);
        closed++;
      }
    }
  }
  return closed;
}

/** Which of these sessions still have a live refresh token. */
async function liveSessionsAmong(sessionIds: string[]): Promise<Set<string>> {
  const unique = [...new Set(sessionIds)];
  const live = new Set<string>();
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await User.sequelize!.query<{ familyId: string }>(
      'SELECT DISTINCT familyId FROM refresh_tokens WHERE familyId IN (:ids) AND revokedAt IS NULL AND expiresAt > :now',
      { replacements: { ids: unique.slice(i, i + CHUNK), now: sqlDate(User.sequelize!, new Date()) }, type: QueryTypes.SELECT },
    );
    for (const row of rows) live.add(row.familyId);
  }
  return live;
}
