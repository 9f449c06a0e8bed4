// Worker thread of the ECMS pool (pool.ts): verifies, reads and signs large messages off the event loop.
import { serveJobs } from '../../../lib/worker-pool';
import { openMessage, openLetter, signDocument, signMessage, type SignJob } from './open';
import type { Signer } from './dsig';

export type EcmsJob =
  | { kind: 'open'; raw: Uint8Array; certificatePem: string; letterCertificatePem?: string }
  | { kind: 'letter'; document: Uint8Array; certificatePem: string }
  | { kind: 'sign'; job: SignJob }
  | { kind: 'signDocument'; letterXml: Uint8Array; letterId: string; signer: Signer };

serveJobs<EcmsJob, unknown>((job) => {
  if (job.kind === 'open') return openMessage(job.raw, job.certificatePem, job.letterCertificatePem);
  if (job.kind === 'letter') return openLetter(job.document, job.certificatePem);
  if (job.kind === 'signDocument') return Buffer.from(signDocument(job.letterXml, job.letterId, job.signer), 'utf8');
  // Long strings are slow to clone between threads; their UTF-8 bytes are not.
  return Buffer.from(signMessage(job.job), 'utf8');
});
