// Signing a PDF, stamping an incoming one, verifying an upload, and the verification records
// behind /verify/<code>. The CPU work runs in the worker pool (jobs.ts); the database keeps only
// who signed what, when, and the file's fingerprint.
import crypto from 'node:crypto';
import QRCode from 'qrcode';
import { Transaction } from 'sequelize';
import { Organisation, RecordedSigner, SignatureRecord, SigningAuthority, SigningCredential } from '../../db/models';
import { AppError } from '../../lib/errors';
import { writeTransaction } from '../../lib/transaction';
import { thaiDateFull, thaiTime } from '../../lib/thai-date';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import { currentCrl, knownCrls, trustAnchors } from './authority';
import { pemToDer } from './cms';
import { x509 } from './ca';
import { assertFreshGrant, openCredentialKey, signingCredential, unlockWithPin } from './credentials';
import type { SignatureSpace } from '../letters/signature-space';
import { endorsementHtml, hasAppearanceRenderer, receiveStampHtml, renderBlock, signatureBlockHtml, signatureMarkHtml, SignatureBlockText } from './appearance';
import { signInWorker, stampInWorker, verifyInWorker } from './jobs';
import { assertLooksLikePdf, PdfInputError } from './pdf';
import { TimestampError } from './tsa';
import { signingSettings } from './settings';

/** Maps what the PDF and TSA layers refuse onto the API's error shape. */
export function toSignatureError(err: unknown): unknown {
  if (err instanceof PdfInputError) {
    return err.code === 'not_pdf' ? new AppError(415, 'not_pdf', err.message) : new AppError(422, err.code, err.message);
  }
  if (err instanceof TimestampError) return new AppError(503, 'tsa_unavailable', `${err.message} Nothing was signed.`);
  return err;
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toSignatureError(err);
  }
}

/** 10 characters of Crockford base32 (50 bits): short enough to type from paper, too many to guess. */
function newCode(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return [...crypto.randomBytes(10)].map((b) => alphabet[b & 31]).join('');
}

export const verificationUrl = (ctx: AppContext, code: string) => `${ctx.config.publicUrl}/verify/${code}`;

/** The QR code of a verification link, as SVG (the renderer puts it on every page). */
export async function verificationQrSvg(ctx: AppContext, code: string): Promise<string> {
  return QRCode.toString(verificationUrl(ctx, code), { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
}

export interface SignOptions {
  pdf: Buffer;
  pin: string;
  signingGrant?: string;
  reason?: string;
  /** ปฏิบัติราชการแทน / รักษาราชการแทน, printed in the block. */
  capacity?: SignatureBlockText['capacity'];
  documentId?: number | null;
  /** Where the visible block goes (points from the lower-left); default: lower right of the last page. */
  placement?: { page: number; x: number; y: number } | 'invisible';
  /**
   * The letter's signature space (page and box in points, as the renderer found it): the block is
   * then only the signature (a drawn stroke, the signing note and time) fitted into it, since the
   * letter prints the name, position and capacity under it. Ignored when `placement` is given.
   */
  space?: SignatureSpace | null;
  /** The verification code to use (signLetter reserves it before rendering, so the letter can carry its QR). */
  code?: string;
}

export interface SignResult { pdf: Buffer; code: string; record: SignatureRecord; timestampAt: string | null; level: 'B-B' | 'B-T' | 'B-LT' }

interface Prepared { cred: SigningCredential; keyPkcs8: Buffer; chain: Buffer[]; crl: Buffer | null; position: string | null; organisation: string | null }

/**
 * Everything checked before a signature is made: the fresh sign-in check, a valid unrevoked
 * certificate, the PIN (counted) that opens its key, and the CA's current CRL. No transaction of
 * the caller may be open (the PIN attempt is its own committed write).
 */
export async function prepareSigner(ctx: AppContext, actor: Actor, pin: string, signingGrant: string | undefined): Promise<Prepared> {
  assertFreshGrant(ctx, actor, signingGrant);
  const cred = await signingCredential(actor.userId);
  const keyPkcs8 = openCredentialKey(cred, await unlockWithPin(ctx, actor.userId, pin));
  const authority = cred.authorityId ? await SigningAuthority.findByPk(cred.authorityId) : null;
  const crl = authority ? await currentCrl(ctx.config.dataDir, authority) : null;
  const name = new x509.X509Certificate(cred.certificatePem).subjectName;
  return {
    cred, keyPkcs8, crl, chain: [...pemToDer(cred.certificatePem), ...pemToDer(cred.chainPem)],
    position: name.getField('2.5.4.12')[0] ?? null, organisation: name.getField('2.5.4.10')[0] ?? null,
  };
}

/**
 * Signs a PDF as the actor: PAdES B-T (B-LT with the organisation CA's CRL in a DSS), as an
 * incremental update, and records it under a verification code (one per letter: later signatures
 * of the same letter join it).
 */
export async function signPdf(ctx: AppContext, actor: Actor, options: SignOptions): Promise<SignResult> {
  await guarded(async () => assertLooksLikePdf(options.pdf));
  const prepared = await prepareSigner(ctx, actor, options.pin, options.signingGrant);
  return recordSignature(actor, options.documentId, await makeSignature(actor, prepared, options));
}

const MM = 72 / 25.4;

/**
 * The size of the mark for a signature space: the space less 0.5 mm all round (Chromium rounds a
 * page size to whole pixels), at most 80 × 24 mm. A space too small to hold the mark legibly (an
 * organisation's template) is not used: the full block goes to the lower right instead.
 */
function fittingSpace(space: SignatureSpace | null | undefined): { box: SignatureSpace; sizeMm: { widthMm: number; heightMm: number } } | null {
  if (!space) return null;
  const widthMm = Math.min(80, space.width / MM - 1);
  const heightMm = Math.min(24, space.height / MM - 1);
  if (widthMm < 35 || heightMm < 12) return null;
  return { box: space, sizeMm: { widthMm: Math.floor(widthMm * 10) / 10, heightMm: Math.floor(heightMm * 10) / 10 } };
}

/** A signature made, not yet recorded. */
interface MadeSignature { signed: { pdf: Buffer; timestampAt: string | null }; signer: RecordedSigner; code: string; level: SignResult['level'] }

/** The signature itself (block, CMS, time-stamp), no database write: `recordSignature` keeps it. */
async function makeSignature(actor: Actor, prepared: Prepared, options: Omit<SignOptions, 'pin' | 'signingGrant'>): Promise<MadeSignature> {
  const existing = options.code || !options.documentId ? null : await SignatureRecord.findOne({ where: { documentId: options.documentId } });
  const code = options.code ?? existing?.code ?? newCode();
  const signedAt = new Date();
  const { tsaUrl } = signingSettings();
  const placement = options.placement;
  const signedAtText = `${thaiDateFull(signedAt)} ${thaiTime(signedAt)}`;
  const space = placement === undefined ? fittingSpace(options.space) : null;
  const appearance = placement === 'invisible' || !hasAppearanceRenderer() ? undefined : await guarded(async () => {
    if (space) {
      const block = await renderBlock(signatureMarkHtml({ signedAtText, verificationCode: code, ...space.sizeMm }));
      return { pdf: block, place: { box: space.box } };
    }
    const block = await renderBlock(signatureBlockHtml({
      nameTh: actor.user.displayName, positionTh: prepared.position, capacity: options.capacity ?? null, signedAtText, verificationCode: code,
    }));
    return { pdf: block, place: placement ?? { at: 'signature' as const } };
  });
  const { chain, crl } = prepared;
  const signed = await guarded(() => signInWorker({
    pdf: options.pdf, keyPkcs8: prepared.keyPkcs8, chain, tsaUrl,
    placeholder: { fieldName: `ลายมือชื่อ ${actor.user.displayName} ${signedAt.getTime()}`, reason: options.reason, signerName: actor.user.displayName, signingTime: signedAt, location: prepared.organisation ?? undefined, appearance },
    // B-LT needs the time-stamp too: without a TSA the DSS would vouch for an untrusted time.
    dss: tsaUrl && crl ? { certs: chain, crls: [crl] } : undefined,
  }));
  const signer: RecordedSigner = { name: actor.user.displayName, position: prepared.position, organisation: prepared.organisation, fingerprint: prepared.cred.fingerprint, signedAt: signedAt.toISOString(), timestampAt: signed.timestampAt };
  return { signed, signer, code, level: !signed.timestampAt ? 'B-B' : crl ? 'B-LT' : 'B-T' };
}

/** Records a signature made under its verification code (later signatures of the same letter join its record), in `transaction` when given. */
async function recordSignature(actor: Actor, documentId: number | null | undefined, made: MadeSignature, transaction?: Transaction): Promise<SignResult> {
  const existing = documentId ? await SignatureRecord.findOne({ where: { documentId }, transaction }) : null;
  const sha256 = crypto.createHash('sha256').update(made.signed.pdf).digest('hex');
  const record = existing
    ? await existing.update({ sha256, signers: JSON.stringify([...JSON.parse(existing.signers), made.signer]) }, { transaction })
    : await SignatureRecord.create({ code: made.code, organisationId: actor.organisationId, documentId: documentId ?? null, sha256, signers: JSON.stringify([made.signer]), createdById: actor.userId }, { transaction });
  return { pdf: made.signed.pdf, code: made.code, record, timestampAt: made.signed.timestampAt, level: made.level };
}

/**
 * Seams for tests: `drawing` hears where each drawing of a letter was made; `beforeNumbering` runs
 * between the drawing made ahead and the transaction that numbers the letter for real.
 */
export const signingSteps = {
  drawing: (_where: 'ahead' | 'inside'): void => {},
  beforeNumbering: async (): Promise<void> => {},
};

/** Thrown to roll a rehearsal back, carrying what it produced. */
class Rehearsed<N> extends Error {
  constructor(readonly numbered: N) {
    super('a rehearsal, rolled back');
  }
}

/** Runs `takeNumber` in a transaction that is rolled back: the number and date the letter would take now. */
async function rehearse<N>(ctx: AppContext, takeNumber: (t: Transaction) => Promise<N>): Promise<N | undefined> {
  try {
    await writeTransaction(ctx.db.sequelize, async (t) => {
      throw new Rehearsed(await takeNumber(t));
    }, { attempts: 1 });
  } catch (err) {
    if (err instanceof Rehearsed) return err.numbered as N;
  }
  return undefined; // refused: the real transaction says why
}

/**
 * For the outgoing process (wired by the lead): inside ONE transaction take the number and date,
 * sign the letter drawn with them and its verification QR, and record the signature, so the signed
 * PDF and the register agree or neither exists. `render` gets the code and the QR SVG.
 *
 * The drawing and the signature (Chromium: 0.4 s warm, 2.7 s cold; the CMS, the TSA's answer) are
 * made ahead, outside any transaction, with the number a rolled-back rehearsal of `takeNumber` gave:
 * inside, they held SQLite's one writer (every other write of the process waited) or, on MariaDB,
 * the register's counter row. The transaction uses them only if the letter it numbers draws the
 * same (`drawnFrom` unchanged); when another letter took that number meanwhile, the letter is drawn
 * and signed again inside, as before.
 */
export async function signLetter<N>(
  ctx: AppContext,
  actor: Actor,
  input: {
    documentId: number;
    pin: string;
    signingGrant?: string;
    capacity?: SignOptions['capacity'];
    /** Takes the letter number and date in the transaction (the registers' numbering). */
    takeNumber: (t: Transaction) => Promise<N>;
    /** What the drawing of the numbered letter depends on: a drawing made ahead is used only when this is the same. */
    drawnFrom: (numbered: N) => string;
    /** Renders the letter with the number and date, its signature block left to signPdf, the QR given; `t` when inside the transaction. */
    render: (numbered: N, verification: { code: string; url: string; qrSvg: string }, t?: Transaction) => Promise<{ pdf: Buffer; placement?: SignOptions['placement']; space?: SignatureSpace | null }>;
    /** Stores the signed PDF as the letter's main file, in the same transaction. */
    store: (signed: SignResult, numbered: N, t: Transaction) => Promise<void>;
  },
): Promise<SignResult & { numbered: N }> {
  // The grant, certificate and PIN are checked before the transaction: a wrong PIN takes no number,
  // and the PIN's attempt counter commits on its own (SQLite has one writer at a time).
  const prepared = await prepareSigner(ctx, actor, input.pin, input.signingGrant);
  const existing = await SignatureRecord.findOne({ where: { documentId: input.documentId } });
  const code = existing?.code ?? newCode();
  const verification = { code, url: verificationUrl(ctx, code), qrSvg: await verificationQrSvg(ctx, code) };
  const rehearsed = await rehearse(ctx, input.takeNumber);
  const made = async (numbered: N, t?: Transaction) => {
    signingSteps.drawing(t ? 'inside' : 'ahead');
    const rendered = await input.render(numbered, verification, t);
    return makeSignature(actor, prepared, { pdf: rendered.pdf, capacity: input.capacity, documentId: input.documentId, placement: rendered.placement, space: rendered.space, code });
  };
  const ahead = rehearsed === undefined ? undefined : { from: input.drawnFrom(rehearsed), signature: await made(rehearsed) };
  await signingSteps.beforeNumbering();
  return writeTransaction(ctx.db.sequelize, async (t) => {
    const numbered = await input.takeNumber(t);
    const signature = ahead?.from === input.drawnFrom(numbered) ? ahead.signature : await made(numbered, t);
    const result = await recordSignature(actor, input.documentId, signature, t);
    await input.store(result, numbered, t);
    return { ...result, numbered };
  }, { attempts: 1 });
}

/** The receive stamp (เลขรับ, date, time) on an incoming PDF, top right of page 1, as an incremental update. */
export async function stampReceive(input: { pdf: Buffer; organisationId: number; receiveNumber: string; receivedAt: Date }): Promise<Buffer> {
  const org = await Organisation.findByPk(input.organisationId);
  return guarded(async () => {
    const block = await renderBlock(receiveStampHtml({ organisationName: org?.nameTh ?? '', receiveNumber: input.receiveNumber, dateText: thaiDateFull(input.receivedAt), timeText: thaiTime(input.receivedAt) }));
    return stampInWorker({ pdf: input.pdf, appearance: { pdf: block, place: { at: 'receive' } }, title: 'ตรารับ', contents: `เลขรับ ${input.receiveNumber}` });
  });
}

/**
 * An endorsement (เกษียน) on page 1, stacked up from the bottom left by its index (0, 1, …) and
 * continuing in the right column; each one is its own incremental update.
 */
export async function stampEndorsement(input: { pdf: Buffer; index: number; text: string; nameTh: string; positionTh?: string | null; at: Date }): Promise<Buffer> {
  return guarded(async () => {
    const block = await renderBlock(endorsementHtml({ text: input.text, nameTh: input.nameTh, positionTh: input.positionTh, dateText: thaiDateFull(input.at) }));
    return stampInWorker({ pdf: input.pdf, appearance: { pdf: block, place: { at: 'endorsement', index: input.index } }, title: 'เกษียนหนังสือ', contents: input.text.slice(0, 2000) });
  });
}

/** Checks every signature of an uploaded PDF against the CAs and CRLs this deployment knows. */
export async function verifyUpload(ctx: AppContext, pdf: Buffer) {
  const anchors = (await trustAnchors()).map((a) => a.certificatePem);
  const crls = await knownCrls(ctx.config.dataDir);
  const report = await guarded(() => verifyInWorker({ pdf, anchors, crls }));
  const record = await SignatureRecord.findOne({ where: { sha256: report.sha256 } });
  return { ...report, verificationCode: record?.code ?? null };
}

/** The public view of a verification code: fingerprint, signers, times, status — nothing of the letter. */
export async function publicRecord(code: string) {
  const record = await SignatureRecord.findOne({ where: { code } });
  if (!record) return null;
  const signers = JSON.parse(record.signers) as RecordedSigner[];
  const creds = await SigningCredential.findAll({ where: { fingerprint: signers.map((s) => s.fingerprint) } });
  const withStatus = signers.map((s) => {
    const revokedAt = creds.find((c) => c.fingerprint === s.fingerprint)?.revokedAt ?? null;
    const proven = s.timestampAt ?? s.signedAt;
    return { ...s, certificateRevokedAt: revokedAt?.toISOString() ?? null, status: !revokedAt || revokedAt.getTime() > Date.parse(proven) ? 'valid' : 'revoked' };
  });
  return {
    code: record.code, sha256: record.sha256, updatedAt: record.updatedAt.toISOString(), signers: withStatus,
    status: withStatus.every((s) => s.status === 'valid') ? 'valid' as const : 'revoked' as const,
  };
}
