// Deliveries REST: send a numbered letter, follow its deliveries, the arrivals tray (หนังสือรอลงรับ)
// with its files, accept / reject / return, withdraw and resend.
import fs from 'node:fs';
import { Api, idParam } from '../../lib/route';
import { z } from '../../lib/openapi';
import { Attachment, Delivery, DeliveryMail, Document } from '../../db/models';
import { notFound } from '../../lib/errors';
import { limiter } from '../../lib/rate-limit';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import { assertRead } from '../documents/policy';
import { blobPath } from '../attachments/storage';
import { startIncomingRouting } from '../workflow/routing';
import * as S from './schemas';
import * as svc from './service';
import { accept, refuse } from './receive';
import { assertSeen, assertSender, mayManageSent } from './policy';
import { presentDeliveries, presentDelivery, presentHistory } from './present';
import { confirmForm, confirmPage, confirmReceipt, inspectToken } from './email';

const TAG = 'Deliveries';
const fileParams = z.object({ id: idParam.shape.id, fileId: idParam.shape.id });
const WithdrawBody = z.object({ reason: z.string().trim().max(500).optional() }).openapi('DeliveryWithdraw');

export function registerDeliveryRoutes(api: Api<Actor>, ctx: AppContext): void {
  const { sequelize } = ctx.db;

  api.route({
    method: 'post', path: '/documents/:id/send', tag: TAG, status: 201,
    summary: 'Send a numbered letter to organisations of the deployment or to e-mail addresses (one delivery per recipient, in one transaction)',
    description: 'Registry clerk of the sending organisation (the secrets custodian for ลับ / ลับมาก). Unnumbered or voided letter → 409; unknown or inactive recipient → 422 naming it; your own organisation → 403; ลับที่สุด → 422. By e-mail ({ email } or { organisationId, via: "email" } for its official address): queued, then sent with the files attached and a confirmation link; a secret letter by e-mail → 422.',
    params: idParam, body: S.SendBody, response: S.listOf(S.Delivery),
    handler: async ({ params, body, actor }) => {
      await assertRead(actor, await Document.findByPk(params.id));
      return { items: await presentDeliveries(await svc.sendLetter(sequelize, actor, params.id, body.recipients), 'sender') };
    },
  });

  api.route({
    method: 'get', path: '/documents/:id/deliveries', tag: TAG, summary: "Every recipient's delivery of a sent letter and its status; for a letter received through the system, the delivery that brought it",
    params: idParam, response: S.listOf(S.Delivery),
    handler: async ({ params, actor }) => {
      const doc = await assertRead(actor, await Document.findByPk(params.id));
      const { rows, side } = await svc.ofDocument(doc);
      await svc.logSecretDeliveryReads(sequelize, actor, rows, 'letter deliveries');
      // The received letter's page shows where it came from; acting on it is done (it was accepted).
      return { items: await presentDeliveries(rows, side, side === 'sender' && rows.length > 0 && mayManageSent(actor, rows[0])) };
    },
  });

  api.route({
    method: 'get', path: '/deliveries/outgoing', tag: TAG, summary: "The organisation's sent deliveries; pending=true&olderThanHours=N: sent, not yet received for more than N hours",
    query: S.OutgoingQuery, response: S.listOf(S.Delivery),
    handler: async ({ query, actor }) => {
      const rows = await svc.outgoing(actor, query);
      await svc.logSecretDeliveryReads(sequelize, actor, rows, 'outgoing list');
      return { items: await presentDeliveries(rows, 'sender') };
    },
  });

  api.route({
    method: 'get', path: '/deliveries/arrivals', tag: TAG, summary: 'The arrivals tray (หนังสือรอลงรับ): letters sent to your organisation, most urgent first',
    description: 'Registry clerks see ordinary letters; a secret letter (ลับ, ลับมาก) reaches only the secrets custodian.',
    query: S.ArrivalsQuery, response: S.listOf(S.Delivery),
    handler: async ({ query, actor }) => {
      const rows = await svc.arrivals(actor, query);
      await svc.logSecretDeliveryReads(sequelize, actor, rows, 'arrivals tray');
      return { items: await presentDeliveries(rows, 'recipient') };
    },
  });

  api.route({
    method: 'get', path: '/deliveries/:id', tag: TAG, summary: 'One delivery with its history (for the sending or the receiving side)', params: idParam, response: S.DeliveryDetail,
    handler: async ({ params, actor }) => {
      const { delivery, side } = assertSeen(actor, await Delivery.findByPk(params.id));
      await svc.logSecretDeliveryReads(sequelize, actor, [delivery], 'delivery');
      return { ...(await presentDelivery(delivery, side)), history: await presentHistory(Number(delivery.id)) };
    },
  });

  api.route({
    method: 'get', path: '/deliveries/:id/files/:fileId', tag: TAG, params: fileParams,
    summary: "A file of an arrived letter, for the receiving clerks before they accept it (reading a secret one is logged)",
    handler: async ({ params, actor, res }) => {
      const { delivery, side } = assertSeen(actor, await Delivery.findByPk(params.id));
      // The recipient reads through the delivery only while it is in the tray or after accepting it.
      if (side === 'recipient' && !['sent', 'delivered', 'received'].includes(delivery.status)) throw notFound('Delivery');
      const file = await Attachment.findByPk(params.fileId);
      if (!file || Number(file.documentId) !== Number(delivery.documentId)) throw notFound('File');
      await svc.logSecretDeliveryReads(sequelize, actor, [delivery], `file ${file.id}`);
      const path = blobPath(ctx.config.dataDir, file.sha256);
      if (!fs.existsSync(path)) throw notFound('The stored file');
      res.setHeader('Content-Type', file.mime);
      res.setHeader('Content-Length', String(file.size));
      res.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      await new Promise<void>((resolve, reject) => fs.createReadStream(path).on('error', reject).on('end', resolve).pipe(res));
      return undefined;
    },
  });

  api.route({
    method: 'post', path: '/deliveries/:id/accept', tag: TAG, params: idParam, response: S.AcceptResult,
    summary: 'Accept (ลงรับ): register the letter in the incoming register (the secret register for a secret one), start its routing, and send the receipt back',
    description: 'Two clerks at once: one wins, the other gets 409 naming who accepted it and the receive number.',
    handler: async ({ params, actor }) => {
      const r = await accept(sequelize, actor, params.id, (who) => (t, doc) => startIncomingRouting(ctx.runtime, t, who, doc));
      return {
        delivery: await presentDelivery(r.delivery, 'recipient'), receivedDocumentId: Number(r.document.id), instanceId: r.instanceId,
        entry: { id: Number(r.entry.id), registerId: r.entry.registerId, year: r.entry.year, number: r.entry.number, registeredAt: new Date(r.entry.registeredAt).toISOString() },
      };
    },
  });

  api.route({
    method: 'post', path: '/deliveries/:id/reject', tag: TAG, params: idParam, body: S.ReasonBody, response: S.Delivery, summary: 'Reject an arrived letter (the reason is required)',
    handler: async ({ params, body, actor }) => presentDelivery(await refuse(sequelize, actor, params.id, 'rejected', body.reason), 'recipient'),
  });

  api.route({
    method: 'post', path: '/deliveries/:id/return', tag: TAG, params: idParam, body: S.ReturnBody.optional(), response: S.Delivery, summary: 'Return an arrived letter as sent to the wrong recipient (ส่งผิดหน่วยงาน)',
    handler: async ({ params, body, actor }) => presentDelivery(await refuse(sequelize, actor, params.id, 'returned', body?.reason ?? null), 'recipient'),
  });

  api.route({
    method: 'post', path: '/deliveries/:id/withdraw', tag: TAG, params: idParam, body: WithdrawBody.optional(), response: S.Delivery, summary: 'Withdraw a letter not yet accepted (ดึงหนังสือกลับ)',
    handler: async ({ params, body, actor }) => {
      assertSender(actor, await Delivery.findByPk(params.id));
      return presentDelivery(await svc.withdraw(sequelize, actor, params.id, body?.reason ?? null), 'sender');
    },
  });

  api.route({
    method: 'post', path: '/deliveries/:id/resend', tag: TAG, params: idParam, status: 201, response: S.Delivery,
    summary: 'Send a withdrawn, rejected or returned letter again to the same recipient (a new delivery; the old one stays in the history)',
    handler: async ({ params, actor }) => presentDelivery(await svc.resend(sequelize, actor, params.id), 'sender'),
  });

  // The e-mail channel's confirmation link (public: the recipient has no account here; the signed,
  // single-use token is the authority). GET shows the letter and a button, POST confirms: mail
  // scanners that open every link must not confirm for a person.
  // The link is signed (guessing one is hopeless), but each try still costs a look-up: an address
  // gets CONFIRM_RATE_LIMIT requests a window, far above a person confirming the letters they got.
  const confirmLimit = limiter(ctx.config.confirmRateLimit, 'Too many requests to confirmation links from this address; wait and try again.');
  const wantsHtml = (req: { accepts(types: string[]): string | false }) => req.accepts(['json', 'html']) === 'html';
  api.route({
    method: 'get', path: '/deliveries/confirm/:token', tag: TAG, public: true, params: S.ConfirmParams, response: S.ConfirmResult, before: [confirmLimit],
    summary: 'The page an e-mailed letter links to: which letter, and a button to confirm receipt (nothing is recorded)',
    description: 'A forged link → 404; expired → 410; too many requests from one address → 429. HTML for a browser, JSON otherwise.',
    handler: async ({ params, req, res }) => {
      const { delivery, mail, doc } = await inspectToken(ctx.tokens.secret, params.token);
      if (!wantsHtml(req)) return confirmation(delivery, mail, doc);
      res.type('html').send(confirmPage(delivery, doc.subject, doc.letterNumber ?? null, mail, false));
      return undefined;
    },
  });

  api.route({
    method: 'post', path: '/deliveries/confirm/:token', tag: TAG, public: true, params: S.ConfirmParams, body: S.ConfirmBody.optional(), response: S.ConfirmResult,
    before: [confirmLimit, confirmForm],
    summary: 'Confirm receipt of an e-mailed letter (ข้อ 89/1): records who and when; the sender sees it received',
    description: 'Once: a second confirmation → 409 saying who confirmed; a forged link → 404; expired, or a withdrawn letter → 410; too many requests from one address → 429.',
    handler: async ({ params, body, req, res }) => {
      const { delivery, mail } = await confirmReceipt(sequelize, ctx.tokens.secret, params.token, body?.name);
      const doc = (await Document.findByPk(delivery.documentId))!;
      if (!wantsHtml(req)) return confirmation(delivery, mail, doc);
      res.type('html').send(confirmPage(delivery, doc.subject, doc.letterNumber ?? null, mail, true));
      return undefined;
    },
  });
}

const confirmation = (d: Delivery, mail: DeliveryMail, doc: Document) => ({
  deliveryId: Number(d.id), status: d.status, confirmedAt: mail.confirmedAt ? new Date(mail.confirmedAt).toISOString() : null, confirmedBy: mail.confirmedBy ?? null,
  letterNumber: doc.letterNumber ?? null, subject: doc.subject,
});
