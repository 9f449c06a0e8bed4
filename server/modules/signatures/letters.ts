// Signing where the product uses it: the outgoing letter's ลงนาม step (number, date, letter and
// signature in one transaction), the signed letter as the document's main file, and the stamps a
// received letter's PDF gets (ตรารับ at registration, each เกษียน), each a new version of the main
// file appended to the one before, so every earlier signature stays valid.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Transaction } from 'sequelize';
import { dataDir as defaultDataDir } from '../../../config/database';
import { Attachment, Document, Endorsement, Position, Register, RegisterEntry, SignatureRecord, Task, Unit } from '../../db/models';
import { AppError, conflict, forbidden, unprocessable } from '../../lib/errors';
import { writeTransaction } from '../../lib/transaction';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import { appendAudit } from '../audit/service';
import { lockBlob } from '../attachments/blobs';
import { blobPath, placeBlob, tempDir } from '../attachments/storage';
import { CAPACITY_TH, DECISION_TH } from '../documents/labels';
import { isSecret, readableDocument } from '../documents/policy';
import { renderDocumentPdf } from '../letters/settings';
import { ensureRegisters, registerWithin } from '../registers/service';
import { prepareTokens } from '../search/tokens';
import { taskAccess } from '../tasks/policy';
import { complete } from '../tasks/service';
import { signLetter, stampEndorsement, stampReceive } from './service';

export type SigningCapacity = 'self' | 'acting_for' | 'acting_in_post';

/** The newest main file of a document that is a PDF: the letter as it stands (signed, stamped). */
export async function currentMainPdf(documentId: number, transaction?: Transaction): Promise<Attachment | null> {
  return Attachment.findOne({ where: { documentId, role: 'main', mime: 'application/pdf' }, order: [['id', 'DESC']], transaction });
}

/** Makes sure the blob of `pdf` exists (row locked, file in place) in `t`; returns its SHA-256. */
async function keepBlob(t: Transaction, pdf: Buffer, dir: string): Promise<string> {
  const sha256 = crypto.createHash('sha256').update(pdf).digest('hex');
  // The blob row is locked first, as uploads do, so a destruction cannot delete the content in between.
  await lockBlob(t, { sha256, size: pdf.length, mime: 'application/pdf' });
  if (!fs.existsSync(blobPath(dir, sha256))) {
    const tempPath = path.join(await tempDir(dir), `${Date.now()}-${crypto.randomBytes(8).toString('hex')}.part`);
    await fs.promises.writeFile(tempPath, pdf);
    try {
      await placeBlob(dir, { tempPath, sha256, size: pdf.length, truncated: false });
    } finally {
      await fs.promises.rm(tempPath, { force: true });
    }
  }
  return sha256;
}

/** Keeps the signed letter as the document's main file, in `t`. */
export async function storeMainPdf(t: Transaction, doc: Document, pdf: Buffer, filename: string, userId: number | null, dir = defaultDataDir()): Promise<Attachment> {
  const sha256 = await keepBlob(t, pdf, dir);
  const a = await Attachment.create({ documentId: doc.id, sha256, role: 'main', filename, mime: 'application/pdf', size: pdf.length, createdById: userId }, { transaction: t });
  await appendAudit(t, { organisationId: doc.organisationId, entityType: 'attachment', entityId: a.id, action: 'letter.signed', actorId: userId, data: { documentId: doc.id, sha256, size: pdf.length } });
  return a;
}

/**
 * A stamp's new version of the main file replaces its content; the version before is the new
 * file's first `size` bytes (an incremental update only appends), and the audit keeps both
 * fingerprints, so every version can be shown to be the one that was received or stamped.
 */
async function replaceMainPdf(t: Transaction, doc: Document, main: Attachment, pdf: Buffer, userId: number | null, what: string, dir: string): Promise<void> {
  const sha256 = await keepBlob(t, pdf, dir);
  const before = { sha256: main.sha256, size: main.size };
  await main.update({ sha256, size: pdf.length }, { transaction: t });
  await appendAudit(t, { organisationId: doc.organisationId, entityType: 'attachment', entityId: main.id, action: `attachment.stamped`, actorId: userId, data: { documentId: doc.id, stamp: what, before, after: { sha256, size: pdf.length } } });
}

/** The open ลงนาม step (formKey "sign") of the letter that the actor may do, if any. */
export async function openSigningStep(actor: Actor, doc: Document): Promise<Task | null> {
  if (doc.direction === 'incoming' || doc.status !== 'draft') return null;
  const open = await Task.findAll({ where: { documentId: doc.id, status: 'open', formKey: 'sign' }, order: [['id', 'ASC']] });
  for (const task of open) if ((await taskAccess(task, actor)).canWork) return task;
  return null;
}

async function signingStep(actor: Actor, doc: Document): Promise<Task> {
  const step = await openSigningStep(actor, doc);
  if (step) return step;
  throw forbidden('ท่านไม่มีขั้นตอนลงนามหนังสือฉบับนี้ (Only the person at the letter\'s signing step signs it.)');
}

/** Ordinary letters go to the outgoing book, orders to the order series, secret ones to the secret register; a unit that keeps its own books uses them. */
async function bookFor(ctx: AppContext, doc: Document): Promise<Register> {
  const books = await ensureRegisters(ctx.db.sequelize, doc.organisationId);
  const kind = isSecret(doc) ? 'secret' : doc.type === 'directive' && doc.subType === 'order' ? 'order' : 'outgoing';
  const unit = doc.unitId ? await Unit.findByPk(doc.unitId) : null;
  const scope = unit?.keepsOwnRegister && kind !== 'secret' ? unit.id : 0;
  const book = books.find((b) => b.kind === kind && Number(b.scopeKey) === scope && b.active) ?? books.find((b) => b.kind === kind && Number(b.scopeKey) === 0);
  if (!book) throw conflict('ไม่มีทะเบียนสำหรับออกเลขหนังสือฉบับนี้ (No register numbers this letter.)');
  return book;
}

export interface SignDocumentInput {
  pin: string;
  signingGrant?: string;
  capacity?: SigningCapacity;
  /** The principal's position, when signing for someone (a delegation the actor holds today). */
  positionId?: number;
}

/**
 * The outgoing process's ลงนาม step, signed digitally: the PIN, the fresh sign-in check and the
 * certificate are checked first (a refusal takes no number); then, in one transaction, the letter
 * takes its number and date from its register, is signed as drawn with them and its verification QR
 * (drawn ahead of the transaction, see signLetter), and kept as its main file. The step is then completed with the signer's name and position, so
 * the letter goes on to the registry to be sent, as with a typed name.
 */
export async function signDocument(ctx: AppContext, actor: Actor, documentId: number, input: SignDocumentInput) {
  const doc = await readableDocument(actor, documentId);
  if (doc.direction === 'incoming') throw conflict('หนังสือรับไม่ได้ลงนามที่นี่ (An incoming letter is signed by its sender.)');
  if (doc.status !== 'draft' || doc.registerId) throw conflict(`หนังสือฉบับนี้ออกเลขหรือลงนามแล้ว (The letter is ${doc.status}: it was numbered or signed already.)`);
  const step = await signingStep(actor, doc);

  const kind = input.capacity ?? 'self';
  const own = actor.capacities.find((c) => c.capacity === 'self');
  const held = kind === 'self' ? own : actor.capacities.find((c) => c.capacity === kind && c.positionId === input.positionId);
  if (kind !== 'self' && !held) throw unprocessable(`ท่านไม่ได้${CAPACITY_TH[kind]}ตำแหน่งนั้นในวันนี้ (You hold no such delegation today.)`, [{ field: 'capacity', message: 'not one of your capacities' }]);
  const ownPosition = own ? await Position.findByPk(own.positionId) : null;
  const principal = kind !== 'self' && held ? await Position.findByPk(held.positionId) : null;
  const capacity = principal ? { kind: kind === 'acting_for' ? 'acting_for' as const : 'acting_in' as const, principalPositionTh: principal.titleTh } : null;

  const book = await bookFor(ctx, doc);
  doc.set({ signerName: actor.user.displayName, signerPosition: ownPosition?.titleTh ?? doc.signerPosition });
  const prepared = await prepareTokens(doc);
  const result = await signLetter(ctx, actor, {
    documentId: doc.id, pin: input.pin, signingGrant: input.signingGrant, capacity,
    takeNumber: async (t) => {
      const locked = await Document.findByPk(doc.id, { transaction: t, lock: t.LOCK.UPDATE });
      if (!locked || locked.status !== 'draft') throw conflict('หนังสือฉบับนี้ออกเลขแล้ว (The letter was numbered meanwhile.)');
      await locked.update({ signerName: doc.signerName, signerPosition: doc.signerPosition }, { transaction: t });
      const { entry, document } = await registerWithin(t, actor, book, { documentId: doc.id }, undefined, prepared);
      return { entry, document: document! };
    },
    // The letter as drawn: every field but the moments it was written at.
    drawnFrom: ({ document }) => JSON.stringify({ ...document.get({ plain: true }), updatedAt: undefined, registeredAt: undefined }),
    render: async ({ document }, verification, t) => {
      const { pdf, signatureSpace } = await renderDocumentPdf(document, { signature: { mode: 'digital', capacity: kind, principalPosition: principal?.titleTh ?? null }, verification, dataDir: ctx.config.dataDir, transaction: t });
      // The signature goes in the space the letter leaves for it, above the name it prints.
      return { pdf, space: signatureSpace };
    },
    store: async (signed, { document }, t) => {
      await storeMainPdf(t, document, signed.pdf, `${document.letterNumber ?? `letter-${document.id}`}.pdf`.replace(/[/\\]/g, '-'), actor.userId, ctx.config.dataDir);
    },
  });
  // The step is done: the letter goes on to the registry for sending. A failure here leaves the
  // letter signed and the step open for the signer to complete by hand; it is logged, not hidden.
  let stepCompleted = true;
  try {
    await complete(ctx.runtime, step.id, actor, { variables: { signerName: actor.user.displayName, signerPosition: ownPosition?.titleTh ?? doc.signerPosition ?? '-' }, ...(held && kind !== 'self' ? { actingPositionId: held.positionId } : {}) });
  } catch (err) {
    stepCompleted = false;
    console.warn(`[saraban] signatures: letter ${doc.id} is signed but its step ${step.id} could not be completed: ${(err as Error).message}`);
  }
  const { entry, document } = result.numbered;
  return {
    documentId: document.id, letterNumber: document.letterNumber, letterDate: document.letterDate, registerId: entry.registerId, registerNumber: entry.number, registerYear: entry.year,
    verificationCode: result.code, level: result.level, timestampAt: result.timestampAt, taskId: step.id, stepCompleted,
  };
}

/** Whether the letter was signed here (its main file is then the signed letter, not drawn from its fields). */
export async function signedLetterOf(documentId: number): Promise<Attachment | null> {
  if (!(await SignatureRecord.findOne({ where: { documentId } }))) return null;
  return currentMainPdf(documentId);
}

// Stamps run after the registration or endorsement commits, off the request, one at a time per
// letter (each appends to the version before). Another server process stamping the same letter at
// the same moment is caught by the check under the row lock, and the stamp is made again on top.
const queues = new Map<number, Promise<void>>();

function enqueue(documentId: number, job: () => Promise<void>): Promise<void> {
  const next = (queues.get(documentId) ?? Promise.resolve()).then(job).catch((err: unknown) => {
    console.warn(`[saraban] stamps: letter ${documentId}: ${(err as Error).message}`);
  });
  queues.set(documentId, next);
  void next.then(() => queues.get(documentId) === next && queues.delete(documentId));
  return next;
}

/** Resolves when the stamps queued for a letter are done (tests, and a caller that wants the result). */
export const stampsSettled = (documentId: number) => queues.get(documentId) ?? Promise.resolve();

async function stampMainPdf(documentId: number, what: string, userId: number | null, make: (pdf: Buffer) => Promise<Buffer>): Promise<void> {
  const dir = defaultDataDir();
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await currentMainPdf(documentId);
    if (!current) return; // no PDF: nothing to stamp
    let stamped: Buffer;
    try {
      stamped = await make(await fs.promises.readFile(blobPath(dir, current.sha256)));
    } catch (err) {
      // No renderer (503), or a PDF the stamp cannot be appended to (encrypted, malformed): the
      // letter stays as it came, and the log says why.
      if (!(err instanceof AppError)) throw err;
      console.warn(`[saraban] stamps: letter ${documentId}: ${what} stamp skipped (${err.status}): ${err.message}`);
      return;
    }
    const stored = await writeTransaction(Document.sequelize!, async (t) => {
      const doc = await Document.findByPk(documentId, { transaction: t, lock: t.LOCK.UPDATE });
      if (!doc) return true;
      const main = await currentMainPdf(documentId, t);
      if (main?.id !== current.id || main.sha256 !== current.sha256) return false; // someone stamped meanwhile: again on top
      await replaceMainPdf(t, doc, main, stamped, userId, what, dir);
      return true;
    });
    if (stored) return;
  }
}

/** After an incoming letter is registered (in `t`): its PDF gets the receive stamp once `t` commits. */
export function stampOnRegistration(t: Transaction, doc: Document, entry: RegisterEntry): void {
  t.afterCommit(() => {
    void enqueue(doc.id, () => stampMainPdf(doc.id, 'receive', entry.registeredById ?? null, (pdf) => stampReceive({ pdf, organisationId: doc.organisationId, receiveNumber: String(entry.number), receivedAt: entry.registeredAt })));
  });
}

/** After an endorsement is written (in `t`): the letter's PDF, if it has one, carries it once `t` commits. */
export function stampOnEndorsement(t: Transaction, e: Endorsement): void {
  t.afterCommit(() => {
    void enqueue(e.documentId, () => stampMainPdf(e.documentId, 'endorsement', e.authorId, (pdf) => stampEndorsement({
      pdf, index: e.seq - 1, text: [e.text, e.decision && DECISION_TH[e.decision]].filter(Boolean).join('\n'), nameTh: e.typedName,
      positionTh: e.capacity === 'self' ? e.positionTitle : `${CAPACITY_TH[e.capacity]}${e.positionTitle ?? ''}`, at: new Date(e.createdAt),
    })));
  });
}
