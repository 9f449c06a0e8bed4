// Notifications: live updates (Socket.io) and e-mail, both fed from the outbox.
import type { Server as HttpServer } from 'node:http';
import type { AppContext } from '../../context';
import { attachRealtime, Realtime } from './realtime';
import { startMailWorker, MailWorker } from './mail/worker';

export { attachRealtime } from './realtime';
export { startMailWorker } from './mail/worker';

export interface Notifications {
  realtime: Realtime;
  mail: MailWorker;
  close(): Promise<void>;
}

export async function startNotifications(httpServer: HttpServer, ctx: AppContext, log: (line: string) => void): Promise<Notifications> {
  const realtime = await attachRealtime(httpServer, ctx, { redisUrl: ctx.config.redisUrl, pollMs: ctx.config.outboxPollMs, log });
  const mail = await startMailWorker(ctx, { log });
  return {
    realtime,
    mail,
    close: async () => {
      await mail.close();
      await realtime.close();
    },
  };
}
