// Runs open.ts on a worker thread when the message is large, in place when it is small (a notifier
// verifies in about a millisecond; a thread hop would cost more than it saves).
import path from 'node:path';
import { WorkerPool } from '../../../lib/worker-pool';
import { openMessage, openLetter, signDocument, signMessage, reviveLetter, revive, textOf, type OpenedMessage, type Result, type SignJob } from './open';
import type { Signer } from './dsig';
import type { EcmsJob } from './worker';
import type { EcmsLetter } from './messages';

/** Below this many characters, work stays on the calling thread. */
export const INLINE_LIMIT = 64 * 1024;
let pool: WorkerPool<EcmsJob, unknown> | undefined;
/** Jobs run in place and on the worker thread so far; lets tests see large messages leave the event loop. */
export const jobCounts = { inPlace: 0, offThread: 0 };

async function run<T>(job: EcmsJob, size: number, inline: () => T): Promise<T> {
  if (size < INLINE_LIMIT) {
    jobCounts.inPlace++;
    return inline();
  }
  pool ??= new WorkerPool<EcmsJob, unknown>(path.join(__dirname, 'worker'));
  const out = (await pool.run(job)) as T;
  jobCounts.offThread++;
  return out;
}

/** `raw`: the request or response bytes (UTF-8). */
export async function openOffThread(raw: Buffer, certificatePem: string, letterCertificatePem?: string): Promise<Result<OpenedMessage>> {
  const r = await run<Result<OpenedMessage>>({ kind: 'open', raw, certificatePem, letterCertificatePem }, raw.length, () => openMessage(raw, certificatePem, letterCertificatePem));
  if (r.ok && r.value.letter) r.value.letter = { letter: reviveLetter(r.value.letter.letter), signedDocument: revive(r.value.letter.signedDocument) };
  if (r.ok && r.value.document) r.value.document = revive(r.value.document);
  return r;
}

export async function openLetterOffThread(document: Buffer, certificatePem: string): Promise<Result<EcmsLetter>> {
  const r = await run<Result<EcmsLetter>>({ kind: 'letter', document, certificatePem }, document.length, () => openLetter(document, certificatePem));
  return r.ok ? { ok: true, value: reviveLetter(r.value) } : r;
}

export async function signOffThread(job: SignJob): Promise<string> {
  const size = job.inner.length + (job.letter?.letterXml.length ?? 0);
  if (size < INLINE_LIMIT) return run<string>({ kind: 'sign', job }, size, () => signMessage(job));
  const letter = job.letter && { letterId: job.letter.letterId, letterXml: Buffer.from(textOf(job.letter.letterXml), 'utf8') };
  return textOf(await run<Uint8Array>({ kind: 'sign', job: { ...job, letter } }, size, () => Buffer.from(signMessage(job))));
}

/** A signed GovernmentDocument on its own (for the pickup queue), off the event loop when large. */
export async function signDocumentOffThread(letterXml: string, letterId: string, signer: Signer): Promise<string> {
  // In place: the string itself; from the worker: its UTF-8 bytes (cheaper to pass between threads).
  return textOf(await run<string | Uint8Array>({ kind: 'signDocument', letterXml: Buffer.from(letterXml, 'utf8'), letterId, signer }, letterXml.length, () => signDocument(letterXml, letterId, signer)));
}

export async function closeEcmsPool(): Promise<void> {
  await pool?.close();
  pool = undefined;
}
