// Signatures REST: PIN, the fresh sign-in check, certificates (issued or imported), signing a PDF,
// verifying any PDF, the CAs and their CRLs, and the public verification record.
import type { Request } from 'express';
import { z } from '../../lib/openapi';
import { Api, idParam } from '../../lib/route';
import { AppError, forbidden, notFound } from '../../lib/errors';
import { SigningAuthority, SigningCredential, SigningPin } from '../../db/models';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import { assertRead } from '../documents/policy';
import { Document } from '../../db/models';
import * as S from './schemas';
import { currentCrl, importAuthority, trustAnchors } from './authority';
import { importCredential, issueCredential, issueSigningGrant, revokeCredential, setPin } from './credentials';
import { readForm } from './multipart';
import { presentAuthority, presentCredential } from './present';
import { publicRecord, signPdf, verificationQrSvg, verifyUpload } from './service';
import { openSigningStep, signDocument } from './letters';
import { readableDocument } from '../documents/policy';
import { signingSettings } from './settings';

const TAG = 'Signatures';

function fieldsOf<T extends z.ZodType>(schema: T, fields: Record<string, string>): z.output<T> {
  const parsed = schema.safeParse(fields);
  if (!parsed.success) {
    throw new AppError(400, 'validation_failed', 'The request is not valid.', parsed.error.issues.map((i) => ({ location: 'body', path: i.path.join('.'), message: i.message })));
  }
  return parsed.data;
}

async function upload(req: Request, maxBytes: number, what: string) {
  const form = await readForm(req, maxBytes);
  if (!form.file || form.file.data.length === 0) throw new AppError(400, 'validation_failed', `Send the ${what} in the form field "file".`);
  return form;
}

export function registerSignatureRoutes(api: Api<Actor>, ctx: AppContext): void {
  const max = () => signingSettings().maxPdfBytes;

  api.route({
    method: 'get', path: '/signatures/me', tag: TAG, summary: 'My signing set-up: PIN set or locked, my certificates', response: S.Status,
    handler: async ({ actor }) => {
      const [pin, creds] = await Promise.all([SigningPin.findByPk(actor.userId), SigningCredential.findAll({ where: { userId: actor.userId }, order: [['id', 'DESC']] })]);
      const locked = pin?.lockedUntil && pin.lockedUntil.getTime() > Date.now() ? pin.lockedUntil.toISOString() : null;
      return { pinSet: !!pin, lockedUntil: locked, credentials: creds.map(presentCredential), timestamping: !!signingSettings().tsaUrl };
    },
  });

  api.route({
    method: 'put', path: '/signatures/pin', tag: TAG, status: 204, summary: 'Set my signing PIN, or change it (currentPin required; my keys are re-sealed)',
    description: 'A wrong currentPin counts as a wrong PIN (403 wrong_pin; 429 pin_locked after SIGNING_PIN_MAX_ATTEMPTS).',
    body: S.PinBody,
    handler: async ({ body, actor }) => {
      await setPin(ctx, actor, body.pin, body.currentPin);
    },
  });

  api.route({
    method: 'post', path: '/signatures/check', tag: TAG, summary: 'The fresh sign-in check before signing: my password again → a signing grant valid SIGNING_FRESH_SECONDS',
    body: S.CheckBody, response: S.Grant,
    handler: async ({ body, actor }) => issueSigningGrant(ctx, actor, body.password),
  });

  api.route({
    method: 'post', path: '/signatures/credentials', tag: TAG, status: 201, summary: 'Get a signing certificate from my organisation\'s CA (Thai name and position), its key sealed under my PIN',
    body: S.IssueBody, response: S.Credential,
    handler: async ({ body, actor }) => presentCredential(await issueCredential(ctx, actor, body.pin)),
  });

  api.route({
    method: 'post', path: '/signatures/credentials/import', tag: TAG, status: 201, summary: 'Import my PKCS#12 (.p12/.pfx) from a CA this system trusts',
    description: 'multipart/form-data: file, password (of the file), pin (my signing PIN). Expired, unusable for signing, or from an unknown CA → 422.',
    multipart: S.ImportForm, response: S.Credential,
    handler: async ({ actor, req }) => {
      const form = await upload(req, 1024 * 1024, 'PKCS#12 file');
      const fields = fieldsOf(S.ImportFields, form.fields);
      return presentCredential(await importCredential(ctx, actor, form.file!.data, fields.password, fields.pin));
    },
  });

  api.route({
    method: 'post', path: '/signatures/credentials/:id/revoke', tag: TAG, summary: 'Revoke a signing certificate (the signer, or a system administrator of the organisation: staff who left); the CA publishes a new CRL',
    params: idParam, body: S.RevokeBody, response: S.Credential,
    handler: async ({ params, body, actor }) => presentCredential(await revokeCredential(ctx, actor, params.id, body.reason)),
  });

  api.route({
    method: 'post', path: '/signatures/sign', tag: TAG, summary: 'Sign a PDF (PAdES B-T, B-LT with the CA\'s CRL): answers the signed PDF',
    description: 'multipart/form-data: file (PDF), pin, signingGrant (POST /signatures/check), reason, documentId. The answer is application/pdf with X-Verification-Code and X-Signature-Level headers. Wrong PIN → 403; locked → 429; no fresh check → 401; expired or revoked certificate → 422; not a PDF → 415; malformed or encrypted PDF → 422; TSA down → 503 (nothing signed).',
    multipart: S.SignForm,
    handler: async ({ actor, req, res }) => {
      const form = await upload(req, max(), 'PDF');
      const fields = fieldsOf(S.SignFields, form.fields);
      if (fields.documentId) await assertRead(actor, await Document.findByPk(fields.documentId));
      const result = await signPdf(ctx, actor, { pdf: form.file!.data, pin: fields.pin, signingGrant: fields.signingGrant, reason: fields.reason, documentId: fields.documentId ?? null });
      res.status(200).set({ 'content-type': 'application/pdf', 'x-verification-code': result.code, 'x-signature-level': result.level, 'content-disposition': 'attachment; filename="signed.pdf"' }).end(result.pdf);
    },
  });

  api.route({
    method: 'get', path: '/documents/:id/signing', tag: TAG, summary: 'Whether I can sign this letter now (my open ลงนาม step), and my signing set-up',
    params: idParam, response: S.LetterSigning,
    handler: async ({ params, actor }) => {
      const doc = await readableDocument(actor, params.id);
      const [step, pin, cred] = await Promise.all([
        openSigningStep(actor, doc), SigningPin.findByPk(actor.userId),
        SigningCredential.findOne({ where: { userId: actor.userId, revokedAt: null }, order: [['createdAt', 'DESC'], ['id', 'DESC']] }),
      ]);
      const usable = cred && cred.notAfter.getTime() > Date.now() ? cred : null;
      const locked = pin?.lockedUntil && pin.lockedUntil.getTime() > Date.now() ? pin.lockedUntil.toISOString() : null;
      return { taskId: step?.id ?? null, pinSet: !!pin, lockedUntil: locked, certificate: usable ? { subject: presentCredential(usable).subject, notAfter: usable.notAfter.toISOString() } : null };
    },
  });

  api.route({
    method: 'post', path: '/documents/:id/sign', tag: TAG, summary: 'ลงนาม: sign an outgoing letter at its signing step — number, date, letter and signature in one transaction',
    description: 'The signer of the letter\'s open ลงนาม step (formKey "sign"): the letter takes its number and date from its register, is drawn with them and a verification QR on every page, signed (PAdES B-T, B-LT with the CA\'s CRL) and kept as its main file; the step is then completed and the letter goes to the registry for sending. Refusals take no number: wrong PIN → 403; locked → 429; no fresh check → 401; no, expired or revoked certificate → 422; not the signer → 403; numbered already → 409; no renderer or TSA → 503.',
    params: idParam, body: S.SignDocumentBody, response: S.SignedLetter,
    handler: async ({ params, body, actor }) => signDocument(ctx, actor, params.id, body),
  });

  api.route({
    method: 'post', path: '/signatures/verify', tag: TAG, summary: 'Check every signature of a PDF: signer, chain to known CAs, revocation, time-stamp, integrity, coverage',
    description: 'multipart/form-data: file. Typed by content: not a PDF → 415; malformed or encrypted → 422; over SIGNATURE_MAX_PDF_BYTES → 413. A PDF without signatures answers an empty list.',
    multipart: S.VerifyForm, response: S.VerifyReport,
    handler: async ({ req }) => verifyUpload(ctx, (await upload(req, max(), 'PDF')).file!.data),
  });

  api.route({
    method: 'get', path: '/signatures/authorities', tag: TAG, summary: 'The CAs this system trusts: organisations\' own and imported ones', response: z.object({ items: z.array(S.Authority) }),
    handler: async () => ({ items: (await trustAnchors()).map(presentAuthority) }),
  });

  api.route({
    method: 'post', path: '/signatures/authorities', tag: TAG, status: 201, summary: 'Trust a CA (a real CA\'s root or intermediate, with its CRL if known): system administrators',
    body: S.AuthorityBody, response: S.Authority,
    handler: async ({ body, actor }) => {
      if (!actor.roles.has('system_admin')) throw forbidden('Only a system administrator adds a trusted CA.');
      return presentAuthority(await importAuthority(body.certificatePem, body.crlBase64 ? Buffer.from(body.crlBase64, 'base64') : undefined));
    },
  });

  api.route({
    method: 'get', path: '/signatures/authorities/:id/crl', tag: TAG, public: true, summary: 'The CA\'s current CRL (DER, application/pkix-crl): its certificates\' distribution point',
    params: idParam,
    handler: async ({ params, res }) => {
      const authority = await SigningAuthority.findByPk(params.id);
      const crl = authority && (await currentCrl(ctx.config.dataDir, authority));
      if (!crl) throw notFound('CRL');
      res.status(200).set({ 'content-type': 'application/pkix-crl', 'cache-control': 'public, max-age=300' }).end(crl);
    },
  });

  api.route({
    method: 'get', path: '/signatures/records/:code', tag: TAG, public: true, summary: 'A verification code\'s record: fingerprint, signers, times, status (never the letter\'s subject)',
    params: S.CodeParam, response: S.PublicRecord,
    handler: async ({ params }) => {
      const record = await publicRecord(params.code);
      if (!record) throw notFound('Verification code');
      return record;
    },
  });

  api.route({
    method: 'get', path: '/signatures/records/:code/qr.svg', tag: TAG, public: true, summary: 'The QR code (SVG) of the public verification page of a code',
    params: S.CodeParam,
    handler: async ({ params, res }) => {
      if (!(await publicRecord(params.code))) throw notFound('Verification code');
      res.status(200).type('image/svg+xml').send(await verificationQrSvg(ctx, params.code));
    },
  });
}
