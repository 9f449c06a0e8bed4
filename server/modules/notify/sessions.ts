// The safety net under revocation: every few seconds each process reads, in one query per thousand
// users, whether the users of its sockets are still active under the token version their socket's
// token carries, and closes the sockets of those who are not. It catches what the 'ended' signal
// cannot: a revocation made by a process without Redis, by hand in the database, or a handshake
// that passed on an actor kept for a few seconds (auth/actor.ts) just after the revocation.
import { QueryTypes } from 'sequelize';
import type { Server, Socket } from 'socket.io';
import { User } from '../../db/models';

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
        if (user && Boolean(Number(user.active)) && Number(user.tokenVersion) === tokenVersion) continue;
        socket.disconnect(true);
        closed++;
      }
    }
  }
  return closed;
}
