// Worker thread of the ECMS pool (pool.ts): verifies, reads and signs large messages off the event loop.
import { serveJobs } from '../../../lib/worker-pool';
import { openMessage, openLetter, signMessage, type SignJob } from './open';

export type EcmsJob =
  | { kind: 'open'; raw: Uint8Array; certificatePem: string; letterCertificatePem?: string }
  | { kind: 'letter'; document: Uint8Array; certificatePem: string }
  | { kind: 'sign'; job: SignJob };

serveJobs<EcmsJob, unknown>((job) => {
  if (job.kind === 'open') return openMessage(job.raw, job.certificatePem, job.letterCertificatePem);
  if (job.kind === 'letter') return openLetter(job.document, job.certificatePem);
  // Long strings are slow to clone between threads; their UTF-8 bytes are not.
  return Buffer.from(signMessage(job.job), 'utf8');
});
