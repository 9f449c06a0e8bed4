// The mail worker, in every process: after each local commit and on a timer it turns new outbox
// events into queued mail, makes digests when due and sends what is due. Without SMTP_URL mail
// is still queued (nothing is lost) and logged as not sent; it goes out once SMTP is configured.
import nodemailer, { Transporter } from 'nodemailer';
import type { AppContext } from '../../../context';
import { outboxSignal } from '../../events/outbox';
import { consumeEvents, ensureCursor, Queued, QueueSettings, runDigests, sendDue } from './queue';
import { idStep } from '../tail';
import { rounds } from '../rounds';

export interface MailWorkerOptions {
  smtpUrl?: string;
  from?: string;
  pollMs?: number;
  /** A round this long after a commit (bursts of commits share it). */
  commitDelayMs?: number;
  gapGraceMs?: number;
  digestIntervalMs?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  log?: (line: string) => void;
}

export interface MailWorker {
  /** One full round now: queue, digest, send. */
  run(): Promise<void>;
  close(): Promise<void>;
}

export async function startMailWorker(ctx: AppContext, options: MailWorkerOptions = {}): Promise<MailWorker> {
  const log = options.log ?? (() => {});
  const smtpUrl = options.smtpUrl ?? ctx.config.smtpUrl;
  const from = options.from ?? ctx.config.mailFrom;
  const step = await idStep(ctx.db.sequelize);
  const settings: QueueSettings = {
    publicUrl: ctx.config.publicUrl,
    gapGraceMs: options.gapGraceMs ?? 500,
    step,
    digestIntervalMs: options.digestIntervalMs ?? ctx.config.mailDigestMinutes * 60_000,
    backoffMs: options.backoffMs ?? 30_000,
    maxBackoffMs: options.maxBackoffMs ?? 3_600_000,
    leaseMs: 120_000,
  };
  await ensureCursor('mail');
  await ensureCursor('digest');
  // Timeouts well inside the send lease (120 s): a hung server never lets two processes send one mail.
  const transport: Transporter | null = smtpUrl
    ? nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 } as never)
    : null;
  if (!transport) log('SMTP_URL is not set: e-mail is queued and logged, not sent');


  async function round(): Promise<void> {
    const queued: Queued[] = [];
    for (;;) {
      const { read, queued: more } = await consumeEvents(ctx.db.sequelize, settings);
      queued.push(...more);
      if (read === 0) break;
    }
    queued.push(...(await runDigests(ctx.db.sequelize, settings)));
    if (transport) {
      while ((await sendDue(transport, from, settings, log)) > 0) {
        // keep going while messages go out
      }
    } else {
      for (const m of queued) log(`e-mail to ${m.toAddress} queued, NOT sent (SMTP_URL is not set): ${m.subject}`);
    }
  }

  const delivery = rounds(round, (err) => log(`mail: ${err instanceof Error ? err.message : String(err)}`));
  const kick = delivery.kick;

  // Mail is not a live channel: a round soon after a commit (coalescing bursts), and a timer.
  let soon: NodeJS.Timeout | null = null;
  const onCommit = () => {
    soon ??= setTimeout(() => {
      soon = null;
      void kick();
    }, options.commitDelayMs ?? 1000);
  };
  outboxSignal.on('committed', onCommit);
  const timer = setInterval(() => void kick(), options.pollMs ?? 5000);
  timer.unref();

  return {
    run: delivery.flush,
    close: async () => {
      clearInterval(timer);
      if (soon) clearTimeout(soon);
      outboxSignal.off('committed', onCommit);
      await delivery.close();
      transport?.close();
    },
  };
}
