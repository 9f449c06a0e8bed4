// Notifications: live updates (Socket.io) and e-mail, both fed from the outbox.
import cluster from 'node:cluster';
import type { Server as HttpServer } from 'node:http';
import type { AppContext } from '../../context';
import { attachRealtime, Realtime } from './realtime';
import { startMailWorker, MailWorker } from './mail/worker';
import { pruneOutbox } from '../events/outbox';
import { startLetterMailWorker, LetterMailWorker } from '../deliveries/email';

export { attachRealtime } from './realtime';
export { startMailWorker } from './mail/worker';

export interface Notifications {
  realtime: Realtime;
  mail: MailWorker;
  /** Letters sent to e-mail addresses (the deliveries' e-mail channel). */
  letters: LetterMailWorker;
  close(): Promise<void>;
}

export async function startNotifications(httpServer: HttpServer, ctx: AppContext, log: (line: string) => void): Promise<Notifications> {
  const realtime = await attachRealtime(httpServer, ctx, { redisUrl: ctx.config.redisUrl, pollMs: ctx.config.outboxPollMs, sessionCheckMs: ctx.config.socketSessionCheckMs, log, clusterWorker: cluster.isWorker });
  const mail = await startMailWorker(ctx, { log });
  const letters = startLetterMailWorker(ctx, { log });
  // Outbox rows are the delivery log, not the record (history and audit are): old ones go, hourly.
  const prune = () => pruneOutbox(ctx.db, ctx.config.outboxKeepDays)
    .then((n) => n && log(`outbox: removed ${n} event(s) older than ${ctx.config.outboxKeepDays} days`))
    .catch((err: Error) => log(`outbox: pruning failed: ${err.message}`));
  const pruning = setInterval(prune, 3_600_000);
  pruning.unref();
  void prune();
  return {
    realtime,
    mail,
    letters,
    close: async () => {
      clearInterval(pruning);
      await letters.close();
      await mail.close();
      await realtime.close();
    },
  };
}
