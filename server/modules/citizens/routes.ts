// The citizens' e-channel REST: the public side (no account: the organisation's page data, the
// proof-of-work challenge, submitting, tracking, downloading the answer) and the agency side (the
// clerks' view of a submission, linking the reply letter, the monitor's counts). The tray's accept
// and reject are the deliveries routes: a citizen's letter is an arrival like any other.
import fs from 'node:fs';
import type { Response } from 'express';
import { Api, idParam } from '../../lib/route';
import { z } from '../../lib/openapi';
import { notFound } from '../../lib/errors';
import { limiter } from '../../lib/rate-limit';
import { thaiDateShort, thaiTime } from '../../lib/thai-date';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import { blobPath } from '../attachments/storage';
import * as S from './schemas';
import { readForm, submit } from './submit';
import { newChallenge } from './pow';
import { formatTrackingCode } from './identity';
import { assertMayMonitor } from './policy';
import * as svc from './service';
import { attachReceiptsToMail, renderReceiptPdf } from './receipt';

/** Where the receipt PDF is fetched (POST with the tracking code and second detail). */
const RECEIPT_PATH = '/api/public/track/receipt';

const TAG = 'Citizens';
const noStore = (res: Response) => res.setHeader('Cache-Control', 'no-store');

export function registerCitizenRoutes(api: Api<Actor>, ctx: AppContext): void {
  const { sequelize } = ctx.db;
  const c = () => ctx.config.citizens;
  svc.observeDeliveries(() => ctx.config.publicUrl);
  attachReceiptsToMail(() => ctx.config.publicUrl);
  const submitLimit = limiter(ctx.config.citizens.submitPerAddress, 'ส่งคำร้องจากที่อยู่นี้บ่อยเกินไป กรุณารอสักครู่ (Too many requests from this address; wait and try again.)');
  const trackLimit = limiter(ctx.config.citizens.trackPerAddress, 'Too many tracking requests from this address; wait and try again.');
  const challengeLimit = limiter(ctx.config.citizens.trackPerAddress, 'Too many challenges from this address; wait and try again.');

  api.route({
    method: 'get', path: '/public/organisations/:code', tag: TAG, public: true, params: S.CodeParam, response: S.PublicOrganisation,
    summary: "The organisation a public page writes to (by its interchange id, e.g. MOPH-OPS, or its agency code)",
    handler: async ({ params }) => svc.publicOrganisation(await svc.organisationByCode(params.code)),
  });

  api.route({
    method: 'get', path: '/public/challenge', tag: TAG, public: true, before: [challengeLimit],
    summary: 'A proof-of-work challenge for the ALTCHA widget (signed, expires, usable once)',
    handler: async ({ res }) => {
      noStore(res);
      return newChallenge(ctx.tokens.secret, c());
    },
  });

  api.route({
    method: 'post', path: '/public/organisations/:code/submissions', tag: TAG, public: true, status: 201, before: [submitLimit],
    params: S.CodeParam, multipart: S.SubmissionForm, response: S.Receipt,
    summary: "Write to an agency (no account): the letter lands in its arrivals tray; the answer holds the tracking code",
    description: 'multipart/form-data: the text fields, `altcha` (the solved challenge) and up to 5 files (PDF, PNG, JPEG by content). No or a wrong proof → 403, a used one → 409, nothing stored; a wrong ID check digit → 422; too many from an address or one ID number → 429; files too large or too many → 413, another type → 415.',
    handler: async ({ params, req, res }) => {
      const org = await svc.organisationByCode(params.code);
      const { fields, files } = await readForm(req, ctx.config.dataDir, c());
      try {
        const { submission: s, subject } = await submit(sequelize, ctx.tokens.secret, ctx.config, org, fields, files);
        noStore(res);
        return {
          trackingCode: formatTrackingCode(s.trackingCode), submittedAt: s.createdAt.toISOString(), submittedAtTh: `${thaiDateShort(s.createdAt)} ${thaiTime(s.createdAt)} น.`,
          organisation: svc.publicOrganisation(org), subject,
          receiptPdf: RECEIPT_PATH,
        };
      } finally {
        await Promise.all(files.map((f) => fs.promises.rm(f.tempPath, { force: true })));
      }
    },
  });

  api.route({
    method: 'post', path: '/public/track', tag: TAG, public: true, before: [trackLimit], body: S.TrackBody, response: S.Tracking,
    summary: 'The status of a request: the tracking code with the e-mail or the last 4 digits of the ID number',
    description: 'A wrong code and a wrong e-mail (or digits) get the same 404, after the same work.',
    handler: async ({ body, res }) => {
      noStore(res);
      return svc.presentTracking(await svc.openSubmission(body));
    },
  });

  api.route({
    method: 'post', path: '/public/track/receipt', tag: TAG, public: true, before: [trackLimit], body: S.TrackBody,
    summary: 'The PDF receipt (ใบรับเรื่อง) of a request: the same code and second detail as tracking',
    description: 'Drawn on demand with the current status; never the ID number, address or text. A wrong code or detail → the same 404 as tracking; a request closed under its retention → 410; no letter renderer on this server → 503.',
    handler: async ({ body, res }) => {
      const s = await svc.openSubmission(body);
      const pdf = await renderReceiptPdf(s, ctx.config.publicUrl);
      noStore(res);
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `attachment; filename="receipt-${s.trackingCode}.pdf"`);
      res.end(pdf);
      return undefined;
    },
  });

  api.route({
    method: 'post', path: '/public/track/files/:fileId', tag: TAG, public: true, before: [trackLimit], params: S.FileParam, body: S.TrackBody,
    summary: "Download a file of the agency's answer (the same code and second detail as tracking)",
    handler: async ({ params, body, res }) => {
      const file = await svc.replyFile(await svc.openSubmission(body), params.fileId);
      const path = blobPath(ctx.config.dataDir, file.sha256);
      if (!fs.existsSync(path)) throw notFound('The stored file');
      noStore(res);
      res.setHeader('Content-Type', file.mime);
      res.setHeader('Content-Length', String(file.size));
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      await new Promise<void>((resolve, reject) => fs.createReadStream(path).on('error', reject).on('end', resolve).pipe(res));
      return undefined;
    },
  });

  api.route({
    method: 'get', path: '/citizens/submissions', tag: TAG, query: S.SubmissionQuery, response: z.object({ items: z.array(S.SubmissionView) }),
    summary: "Citizens' requests to your organisation with their contact data (registry clerks); deliveryId= finds the one behind a tray line",
    handler: async ({ query, actor }) => ({ items: await svc.presentSubmissions(await svc.listSubmissions(actor, query)) }),
  });

  api.route({
    method: 'get', path: '/citizens/submissions/:id', tag: TAG, params: idParam, response: S.SubmissionView, summary: "One citizen's request (registry clerks of the organisation)",
    handler: async ({ params, actor }) => (await svc.presentSubmissions([await svc.findSubmission(actor, params.id)]))[0],
  });

  api.route({
    method: 'post', path: '/citizens/submissions/:id/reply', tag: TAG, params: idParam, body: S.ReplyBody, response: S.SubmissionView,
    summary: 'Link the answer (a numbered outgoing letter with its file): the citizen downloads it from the tracking page and is told by e-mail',
    handler: async ({ params, body, actor }) => (await svc.presentSubmissions([await svc.linkReply(sequelize, ctx.config.publicUrl, actor, params.id, body.documentId)]))[0],
  });

  api.route({
    method: 'get', path: '/citizens/monitor', tag: TAG, query: z.object({ days: z.coerce.number().int().min(1).max(3660).default(30) }), response: S.CitizenMonitor,
    summary: "Counts of citizens' requests and how long they waited for an answer (managers and registry clerks; no personal data)",
    handler: async ({ query, actor }) => {
      assertMayMonitor(actor);
      return svc.monitor(actor, query.days);
    },
  });
}
