// Ended sessions reach open sockets. A logout everywhere, a password change and a disabled account
// all revoke the user's refresh tokens and bump their token version; access tokens already issued
// are then refused by every request, but a Socket.io connection was checked once, at its handshake.
// The live-updates module listens here and closes the user's sockets in every process.
import { EventEmitter } from 'node:events';
import type { Transaction } from 'sequelize';

/** Emits 'ended' (userId) once the change that ended a user's sessions has committed, and
 * 'session-ended' (sessionId) when one session was signed out. */
export const sessionSignal = new EventEmitter();
sessionSignal.setMaxListeners(0); // one listener per live-updates server (tests start several)

export function announceSessionsEnded(userId: number, transaction?: Transaction | null): void {
  const announce = () => void sessionSignal.emit('ended', Number(userId));
  if (transaction) transaction.afterCommit(announce);
  else announce();
}

export function announceSessionEnded(sessionId: string): void {
  sessionSignal.emit('session-ended', sessionId);
}
