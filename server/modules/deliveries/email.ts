// The e-mail channel (ข้อ 89/1): a letter to an agency without a system goes to its official address
// (the directory's organisations.email) or a one-off address, as a message with the main file and
// enclosures attached and a link to confirm receipt.
//
// queued (a delivery_mails row written in the send's transaction) → sent (the SMTP server accepted
// it: its message id) → received (confirmed through the link: who and when) | failed (a 5xx refusal,
// or temporary failures for too long). Temporary failures (4xx, no connection) are retried with
// exponential backoff; the last error stays visible on the delivery while it waits.
//
// The link is `<deliveryId>.<jti>.<expiry>.<HMAC>` signed with a key derived from the server's
// secret: a forged or altered link fails the signature, the jti ties it to this delivery's row, and
// the row's confirmedAt makes it single-use.
import crypto from 'node:crypto';
import express from 'express';
import nodemailer, { Transporter } from 'nodemailer';
import { Op, Sequelize, Transaction } from 'sequelize';
import { Attachment, Delivery, DeliveryMail, Document, Organisation, DeliveryRole } from '../../db/models';
import { conflict, notFound, unprocessable, AppError } from '../../lib/errors';
import { writeTransaction } from '../../lib/transaction';
import { insertRow } from '../../db/transaction';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import { blobPath } from '../attachments/storage';
import { rounds } from '../notify/rounds';
import { outboxSignal } from '../events/outbox';
import { recordChange } from './service';

export const CONFIRM_TTL_MS = 30 * 24 * 3_600_000;
/** Temporary failures stop being temporary after this many attempts (about a day and a half at the default backoff). */
export const MAX_MAIL_ATTEMPTS = 12;

export interface EmailTarget {
  email: string;
  name: string;
  role: DeliveryRole;
  organisationId: number | null;
}

const keyOf = (secret: string) => crypto.createHmac('sha256', secret).update('saraban delivery confirmation').digest();
const sign = (secret: string, payload: string) => crypto.createHmac('sha256', keyOf(secret)).update(payload).digest('base64url');

export function confirmToken(secret: string, deliveryId: number, tokenId: string, expiresAt: Date): string {
  const payload = `${deliveryId}.${tokenId}.${Math.floor(expiresAt.getTime() / 1000)}`;
  return `${payload}.${sign(secret, payload)}`;
}

const gone = (message: string) => new AppError(410, 'gone', message);

/** The delivery id and jti of a genuine, unexpired link; 404 for anything forged, 410 once expired. */
export function verifyToken(secret: string, token: string, now = new Date()): { deliveryId: number; tokenId: string } {
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{16,64})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) throw notFound('The confirmation link');
  const expected = Buffer.from(sign(secret, `${m[1]}.${m[2]}.${m[3]}`));
  const given = Buffer.from(m[4]);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) throw notFound('The confirmation link');
  if (Number(m[3]) * 1000 < now.getTime()) throw gone('ลิงก์ยืนยันการรับหมดอายุแล้ว (The confirmation link has expired.)');
  return { deliveryId: Number(m[1]), tokenId: m[2] };
}

/**
 * Writes e-mail deliveries in the send's transaction: the delivery (queued), its outbox row and the
 * history, audit and push of "queued". The worker sends after commit.
 */
export async function queueEmails(t: Transaction, actor: Actor, doc: Document, targets: EmailTarget[], now: Date): Promise<Delivery[]> {
  const out: Delivery[] = [];
  for (const target of targets) {
    const values = {
      documentId: doc.id, senderOrganisationId: doc.organisationId, sentById: actor.userId, recipientKind: 'email', recipientOrganisationId: target.organisationId,
      recipientAgencyId: null, recipientEmail: target.email, recipientName: target.name, role: target.role, secrecy: doc.secrecy, urgency: doc.urgency,
      status: 'queued', sentAt: now, deliveredAt: null, previousDeliveryId: null, createdAt: now, updatedAt: now,
    };
    const id = await insertRow(Delivery.sequelize!, 'deliveries', values, t);
    const d = Delivery.build({ ...values, id }, { isNewRecord: false, raw: true });
    await DeliveryMail.create(
      { deliveryId: id, status: 'queued', nextAttemptAt: now, tokenId: crypto.randomBytes(18).toString('base64url'), tokenExpiresAt: new Date(now.getTime() + CONFIRM_TTL_MS) },
      { transaction: t },
    );
    await recordChange(t, d, 'queued', actor, `e-mail to ${target.email}`, { email: target.email });
    out.push(d);
  }
  return out;
}

/** The addresses a send names, resolved: a directory organisation's official address, or a one-off one. */
export async function emailTargets(t: Transaction, actor: Actor, doc: Document, inputs: Array<{ index: number; email?: string; organisationId?: number; name?: string; role: DeliveryRole }>): Promise<EmailTarget[]> {
  if (!inputs.length) return [];
  // E-mail crosses servers nobody here controls, in clear text between many of them, and stays in
  // mailboxes and backups outside the government's custody: the secret-document rules (ระเบียบว่าด้วย
  // การรักษาความลับของทางราชการ) need a controlled channel and a custodian at the far end, which an
  // address cannot prove. Secret letters go through the system to the recipient's custodian only.
  if (doc.secrecy !== 'normal') {
    throw unprocessable('หนังสือลับส่งทางอีเมลไม่ได้ (A secret letter is not sent by e-mail: e-mail is not a safe channel for it; send it through the system to the recipient\'s secrets custodian.)', inputs.map((i) => ({ field: `recipients.${i.index}`, message: 'e-mail is not a channel for secret letters' })));
  }
  const orgIds = inputs.map((i) => i.organisationId).filter((x): x is number => x !== undefined);
  const orgs = new Map((await Organisation.findAll({ where: { id: { [Op.in]: orgIds } }, transaction: t })).map((o) => [Number(o.id), o]));
  const problems: Array<{ field: string; message: string }> = [];
  const targets: EmailTarget[] = [];
  for (const i of inputs) {
    if (i.organisationId !== undefined) {
      const org = orgs.get(i.organisationId);
      if (!org || !org.active) problems.push({ field: `recipients.${i.index}.organisationId`, message: org ? `${org.nameTh} (${org.agencyCode}) is inactive` : `unknown organisation ${i.organisationId}` });
      else if (!org.email) problems.push({ field: `recipients.${i.index}.organisationId`, message: `${org.nameTh} (${org.agencyCode}) has no official e-mail address in the directory` });
      else targets.push({ email: org.email.toLowerCase(), name: i.name ?? org.nameTh, role: i.role, organisationId: Number(org.id) });
    } else targets.push({ email: i.email!.toLowerCase(), name: i.name ?? i.email!, role: i.role, organisationId: null });
  }
  if (problems.length) throw unprocessable(`Some recipients cannot receive letters by e-mail: ${problems.map((p) => p.message).join('; ')}.`, problems);
  const addresses = targets.map((x) => x.email);
  const twice = addresses.filter((a, i) => addresses.indexOf(a) !== i);
  if (twice.length) throw unprocessable(`The address ${[...new Set(twice)].join(', ')} is named more than once.`, twice.map((a) => ({ field: 'recipients', message: `${a} is already a recipient` })));
  const live = await Delivery.findAll({ where: { documentId: doc.id, recipientKind: 'email', recipientEmail: { [Op.in]: addresses }, status: { [Op.in]: ['queued', 'sent', 'received'] } }, transaction: t });
  if (live.length) throw conflict(`The letter was already sent to ${live.map((d) => `${d.recipientEmail} (${d.status})`).join(', ')}.`, live.map((d) => ({ deliveryId: Number(d.id), email: d.recipientEmail, status: d.status })));
  void actor;
  return targets;
}

/** Confirms receipt through the link: who (the name typed, or the address) and when. Once: a second use is 409. */
export async function confirmReceipt(sequelize: Sequelize, secret: string, token: string, name: string | undefined): Promise<{ delivery: Delivery; mail: DeliveryMail }> {
  const { deliveryId, tokenId } = verifyToken(secret, token);
  return writeTransaction(sequelize, async (t) => {
    const d = await Delivery.findByPk(deliveryId, { transaction: t, lock: t.LOCK.UPDATE });
    const mail = d && (await DeliveryMail.findByPk(deliveryId, { transaction: t }));
    if (!d || !mail || mail.tokenId !== tokenId || d.recipientKind !== 'email') throw notFound('The confirmation link');
    if (mail.confirmedAt) {
      throw conflict(`ยืนยันการรับไปแล้วโดย ${mail.confirmedBy} (Receipt was already confirmed by ${mail.confirmedBy} at ${mail.confirmedAt.toISOString()}.)`, { confirmedAt: mail.confirmedAt.toISOString(), confirmedBy: mail.confirmedBy });
    }
    if (d.status !== 'sent') throw gone(`หนังสือฉบับนี้ไม่รอการยืนยันแล้ว (This letter is ${d.status}: it no longer waits for a confirmation.)`);
    const now = new Date();
    const who = (name?.trim() || d.recipientEmail!).slice(0, 255);
    await mail.update({ confirmedAt: now, confirmedBy: who }, { transaction: t });
    await d.update({ status: 'received', receivedAt: now }, { transaction: t });
    await recordChange(t, d, 'received', null, `confirmed by ${who} (${d.recipientEmail})`, { confirmedBy: who, email: d.recipientEmail });
    return { delivery: d, mail };
  });
}

export const confirmForm = express.urlencoded({ extended: false, limit: '4kb' });

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The small page the link opens: Thai first, English under it. GET only shows it; the button confirms (mail scanners that open links confirm nothing). */
export function confirmPage(d: Delivery, subject: string, letterNumber: string | null, mail: DeliveryMail, done: boolean): string {
  const head = `<!doctype html><html lang="th"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>ยืนยันการรับหนังสือ</title></head><body style="font-family:sans-serif;max-width:40em;margin:2em auto">`;
  const letter = `<p>หนังสือ ${escape(letterNumber ?? '')} เรื่อง ${escape(subject)}<br>ถึง ${escape(d.recipientName)} (${escape(d.recipientEmail ?? '')})</p>`;
  if (done || mail.confirmedAt) {
    return `${head}<h1>ยืนยันการรับหนังสือแล้ว</h1><p>Receipt confirmed by ${escape(mail.confirmedBy ?? '')} at ${mail.confirmedAt?.toISOString() ?? ''}.</p>${letter}</body></html>`;
  }
  return `${head}<h1>ยืนยันการรับหนังสือ</h1><p>Confirm that you received this letter.</p>${letter}<form method="post"><label>ชื่อผู้รับ (Your name) <input name="name" maxlength="255"></label> <button type="submit">ยืนยันการรับ (Confirm receipt)</button></form></body></html>`;
}

/** A link a person opens: the letter it confirms, without consuming it. */
export async function inspectToken(secret: string, token: string): Promise<{ delivery: Delivery; mail: DeliveryMail; doc: Document }> {
  const { deliveryId, tokenId } = verifyToken(secret, token);
  const d = await Delivery.findByPk(deliveryId);
  const mail = d && (await DeliveryMail.findByPk(deliveryId));
  if (!d || !mail || mail.tokenId !== tokenId) throw notFound('The confirmation link');
  return { delivery: d, mail, doc: (await Document.findByPk(d.documentId))! };
}

// ---- the worker ----

export interface LetterMailOptions {
  smtpUrl?: string;
  from?: string;
  pollMs?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  maxAttempts?: number;
  log?: (line: string) => void;
}

/** A reply in the 5xx range is the receiving server's final word; anything else (4xx, no connection, a timeout) may pass. */
function isPermanent(err: unknown): boolean {
  const code = Number((err as { responseCode?: unknown }).responseCode);
  return code >= 500 && code < 600;
}

function letterMessage(ctx: AppContext, d: Delivery, doc: Document, files: Attachment[], sender: Organisation, mail: DeliveryMail) {
  const link = `${ctx.config.publicUrl.replace(/\/$/, '')}/api/deliveries/confirm/${confirmToken(ctx.tokens.secret, Number(d.id), mail.tokenId, mail.tokenExpiresAt)}`;
  const text = [
    `เรียน ${d.recipientName}`, '',
    `${sender.nameTh} ส่งหนังสือที่ ${doc.letterNumber ?? '-'} เรื่อง ${doc.subject} มาเพื่อโปรดทราบ (ตัวหนังสือและสิ่งที่ส่งมาด้วยแนบมากับอีเมลนี้)`, '',
    'กรุณายืนยันการรับหนังสือ (please confirm receipt):', link, '',
    `--\nระบบสารบรรณอิเล็กทรอนิกส์ (Saraban) ของ ${sender.nameTh}${sender.phone ? ` โทร ${sender.phone}` : ''}\n`,
  ].join('\n');
  return {
    to: { name: d.recipientName, address: d.recipientEmail! },
    subject: `ที่ ${doc.letterNumber ?? '-'} เรื่อง ${doc.subject}`.slice(0, 250),
    text,
    headers: { 'X-Saraban-Delivery-Id': String(d.id) },
    attachments: files.map((f) => ({ filename: f.filename, path: blobPath(ctx.config.dataDir, f.sha256), contentType: f.mime })),
  };
}

/** Sends the due letters. Each row is claimed with a lease first, so two processes never send one letter. */
export async function sendDueLetters(ctx: AppContext, transport: Transporter, from: string, o: Required<Pick<LetterMailOptions, 'backoffMs' | 'maxBackoffMs' | 'maxAttempts'>>, log: (line: string) => void): Promise<number> {
  const { sequelize } = ctx.db;
  const now = new Date();
  const lease = { [Op.or]: [{ lockedUntil: null }, { lockedUntil: { [Op.lt]: now } }] };
  const due = await DeliveryMail.findAll({ where: { status: 'queued', nextAttemptAt: { [Op.lte]: now }, ...lease }, order: [['deliveryId', 'ASC']], limit: 10 });
  for (const row of due) {
    const [claimed] = await DeliveryMail.update({ lockedUntil: new Date(Date.now() + 120_000) }, { where: { deliveryId: row.deliveryId, status: 'queued', ...lease } });
    if (claimed !== 1) continue;
    const d = (await Delivery.findByPk(row.deliveryId))!;
    if (d.status !== 'queued') {
      await DeliveryMail.update({ status: 'cancelled', lockedUntil: null }, { where: { deliveryId: row.deliveryId } }); // withdrawn before it left
      continue;
    }
    const attempts = row.attempts + 1;
    const doc = (await Document.findByPk(d.documentId))!;
    const [files, sender] = await Promise.all([
      Attachment.findAll({ where: { documentId: doc.id }, order: [['role', 'DESC'], ['id', 'ASC']] }), // main before enclosures
      Organisation.findByPk(d.senderOrganisationId).then((o) => o!),
    ]);
    try {
      const info = await transport.sendMail({ from, ...letterMessage(ctx, d, doc, files, sender, row) });
      await writeTransaction(sequelize, async (t) => {
        await DeliveryMail.update({ status: 'sent', attempts, sentAt: new Date(), messageId: String(info.messageId ?? '').slice(0, 255) || null, lockedUntil: null, lastError: null }, { where: { deliveryId: row.deliveryId }, transaction: t });
        const fresh = (await Delivery.findByPk(d.id, { transaction: t, lock: t.LOCK.UPDATE }))!;
        if (fresh.status !== 'queued') return; // withdrawn while the message was on its way: the history keeps the withdrawal
        await fresh.update({ status: 'sent', sentAt: new Date() }, { transaction: t });
        await recordChange(t, fresh, 'sent', null, `SMTP accepted: ${info.messageId}`, { messageId: info.messageId, attempts });
      });
    } catch (err) {
      const reason = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
      if (isPermanent(err) || attempts >= o.maxAttempts) {
        await writeTransaction(sequelize, async (t) => {
          await DeliveryMail.update({ status: 'failed', attempts, lockedUntil: null, lastError: reason }, { where: { deliveryId: row.deliveryId }, transaction: t });
          const fresh = (await Delivery.findByPk(d.id, { transaction: t, lock: t.LOCK.UPDATE }))!;
          if (fresh.status !== 'queued') return;
          await fresh.update({ status: 'failed', closedAt: new Date(), reason: reason.slice(0, 500) }, { transaction: t });
          await recordChange(t, fresh, 'failed', null, reason.slice(0, 500), { attempts, permanent: isPermanent(err) });
        });
        log(`letter e-mail, delivery #${d.id} failed for good (attempt ${attempts}): ${reason}`);
      } else {
        const wait = Math.min(o.backoffMs * 2 ** (attempts - 1), o.maxBackoffMs);
        await DeliveryMail.update({ attempts, lockedUntil: null, lastError: reason, nextAttemptAt: new Date(Date.now() + wait) }, { where: { deliveryId: row.deliveryId } });
        log(`letter e-mail, delivery #${d.id} not sent (attempt ${attempts}, next try in ${Math.round(wait / 1000)} s): ${reason}`);
      }
    }
  }
  return due.length;
}

export interface LetterMailWorker {
  run(): Promise<void>;
  close(): Promise<void>;
}

/** Like the notification worker: a round on a timer and soon after a send; without SMTP_URL letters wait queued. */
export function startLetterMailWorker(ctx: AppContext, options: LetterMailOptions = {}): LetterMailWorker {
  const log = options.log ?? (() => {});
  const smtpUrl = options.smtpUrl ?? ctx.config.smtpUrl;
  const transport: Transporter | null = smtpUrl ? nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 } as never) : null;
  if (!transport) log('SMTP_URL is not set: letters to e-mail addresses stay queued');
  const settings = { backoffMs: options.backoffMs ?? 60_000, maxBackoffMs: options.maxBackoffMs ?? 3_600_000, maxAttempts: options.maxAttempts ?? MAX_MAIL_ATTEMPTS };
  const work = rounds(async () => {
    if (!transport) return;
    while ((await sendDueLetters(ctx, transport, options.from ?? ctx.config.mailFrom, settings, log)) > 0) {
      // keep going while letters are due
    }
  }, (err) => log(`letter e-mail: ${err instanceof Error ? err.message : String(err)}`));
  const timer = setInterval(() => void work.kick(), options.pollMs ?? 5000);
  timer.unref();
  const onCommit = () => void work.kick();
  outboxSignal.on('committed', onCommit);
  return {
    run: work.flush,
    close: async () => {
      clearInterval(timer);
      outboxSignal.off('committed', onCommit);
      await work.close();
      transport?.close();
    },
  };
}
