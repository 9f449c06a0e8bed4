// A real SMTP server on loopback (smtp-server) that parses what arrives (mailparser), and can be
// told to refuse the next messages with a temporary error, like a mail server in trouble.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, ParsedMail } from 'mailparser';
import { MailDigestItem, MailMessage, OutboxCursor } from '../../server/db/models';
import { lastEventId } from '../../server/modules/notify/tail';

export interface TestSmtp {
  url: string;
  messages: ParsedMail[];
  /** Messages refused so far. */
  refused: number;
  /** Refuse this many more messages with 451. */
  failNext: number;
  /** The reply code of those refusals: 451 (try again later) unless set, e.g. 550 (refused for good). */
  failCode: number;
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

export async function startSmtp(port = 0): Promise<TestSmtp> {
  const state: TestSmtp = {
    url: '',
    messages: [],
    refused: 0,
    failNext: 0,
    failCode: 451,
    waitFor: (count, timeoutMs = 10000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          if (state.messages.length >= count) return resolve(state.messages);
          if (Date.now() - started > timeoutMs) return reject(new Error(`expected ${count} mail(s), got ${state.messages.length}: ${state.messages.map((m) => m.subject).join(' | ')}`));
          setTimeout(check, 20);
        };
        check();
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (state.failNext > 0) {
          state.failNext--;
          state.refused++;
          const permanent = state.failCode >= 500;
          return callback(Object.assign(new Error(permanent ? 'Mailbox unavailable: no such user' : 'Mailbox busy, try again later'), { responseCode: state.failCode }));
        }
        simpleParser(Buffer.concat(chunks))
          .then((mail) => {
            state.messages.push(mail);
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  state.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return state;
}

/**
 * Mail that earlier suites left is not this SMTP server's: pending mail counts as sent, and the events
 * and digest items no worker has turned into mail yet are passed over (a mail worker started now would
 * otherwise mail them, to whoever those suites gave an address).
 */
export async function passOverEarlierMail(): Promise<void> {
  const last = await lastEventId();
  await OutboxCursor.update({ lastEventId: last }, { where: { name: ['mail', 'digest'] } });
  await MailDigestItem.destroy({ where: { mailId: null } });
  await MailMessage.update({ status: 'sent' }, { where: { status: 'pending' } });
}
