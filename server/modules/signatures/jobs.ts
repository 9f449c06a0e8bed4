// The signing and verification jobs, run in a worker thread (worker.ts) through one small pool.
import path from 'node:path';
import { WorkerPool } from '../../lib/worker-pool';
import { importSigningKey } from './ca';
import { buildCades, timestampTimeOf } from './cms';
import { addDss, addSignaturePlaceholder, addStampAnnotation, Appearance, PdfInputError, PlaceholderOptions, spliceSignature } from './pdf';
import { verifyPdf, VerifyReport } from './verify-pdf';
import { TimestampError } from './tsa';

export type SignatureJob =
  | { kind: 'sign'; pdf: Uint8Array; keyPkcs8: Uint8Array; chain: Uint8Array[]; tsaUrl?: string; placeholder: PlaceholderOptions; dss?: { certs: Uint8Array[]; crls: Uint8Array[] } }
  | { kind: 'stamp'; pdf: Uint8Array; appearance: Appearance; title: string; contents: string }
  | { kind: 'verify'; pdf: Uint8Array; anchors: string[]; crls: Uint8Array[] };

const buf = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** Errors cross the thread as messages: a prefix keeps their kind. */
const PREFIX = { pdf: 'SIGNATURES_PDF_INPUT:', tsa: 'SIGNATURES_TSA:' };

export async function runJob(job: SignatureJob): Promise<unknown> {
  try {
    if (job.kind === 'sign') {
      const withPlaceholder = await addSignaturePlaceholder(buf(job.pdf), { ...job.placeholder, appearance: job.placeholder.appearance && { place: job.placeholder.appearance.place, pdf: buf(job.placeholder.appearance.pdf) } });
      const key = await importSigningKey(buf(job.keyPkcs8));
      let cms: Buffer = Buffer.alloc(0);
      let signed = await spliceSignature(withPlaceholder, async (content) => (cms = await buildCades({ content, key, chain: job.chain.map(buf), tsaUrl: job.tsaUrl })));
      if (job.dss) signed = await addDss(signed, job.dss.certs.map(buf), job.dss.crls.map(buf));
      return { pdf: signed, timestampAt: timestampTimeOf(cms)?.toISOString() ?? null };
    }
    if (job.kind === 'stamp') return await addStampAnnotation(buf(job.pdf), { place: job.appearance.place, pdf: buf(job.appearance.pdf) }, job.title, job.contents);
    return await verifyPdf({ pdf: buf(job.pdf), anchors: job.anchors, crls: job.crls.map(buf) });
  } catch (err) {
    if (err instanceof PdfInputError) throw new Error(`${PREFIX.pdf}${err.code}:${err.message}`);
    if (err instanceof TimestampError) throw new Error(`${PREFIX.tsa}${err.message}`);
    throw err;
  }
}

let pool: WorkerPool<SignatureJob, unknown> | undefined;

/** SIGNING_INLINE=true runs jobs on the calling thread (a debugger, a profile). */
async function run(job: SignatureJob): Promise<unknown> {
  try {
    if (process.env.SIGNING_INLINE === 'true') return await runJob(job);
    pool ??= new WorkerPool<SignatureJob, unknown>(path.join(__dirname, 'worker'));
    return await pool.run(job);
  } catch (err) {
    const message = (err as Error).message ?? '';
    if (message.startsWith(PREFIX.pdf)) {
      const [code, ...rest] = message.slice(PREFIX.pdf.length).split(':');
      throw new PdfInputError(code as PdfInputError['code'], rest.join(':'));
    }
    if (message.startsWith(PREFIX.tsa)) throw new TimestampError(message.slice(PREFIX.tsa.length));
    throw err;
  }
}

export async function closeSignaturePool(): Promise<void> {
  await pool?.close();
  pool = undefined;
}

export async function signInWorker(job: Omit<Extract<SignatureJob, { kind: 'sign' }>, 'kind'>): Promise<{ pdf: Buffer; timestampAt: string | null }> {
  const out = (await run({ kind: 'sign', ...job })) as { pdf: Uint8Array; timestampAt: string | null };
  return { pdf: Buffer.from(out.pdf), timestampAt: out.timestampAt };
}
export const stampInWorker = async (job: Omit<Extract<SignatureJob, { kind: 'stamp' }>, 'kind'>) => Buffer.from((await run({ kind: 'stamp', ...job })) as Uint8Array);
export const verifyInWorker = async (job: Omit<Extract<SignatureJob, { kind: 'verify' }>, 'kind'>) => (await run({ kind: 'verify', ...job })) as VerifyReport;
