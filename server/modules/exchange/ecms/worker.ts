// Worker thread of the ECMS pool (pool.ts): verifies, reads and signs large messages off the event loop.
import { serveJobs } from '../../../lib/worker-pool';
import { openMessage, openLetter, signMessage, type SignJob } from './open';

export type EcmsJob =
  | { kind: 'open'; raw: string; certificatePem: string; letterCertificatePem?: string }
  | { kind: 'letter'; documentXml: string; certificatePem: string }
  | { kind: 'sign'; job: SignJob };

serveJobs<EcmsJob, unknown>((job) => {
  if (job.kind === 'open') return openMessage(job.raw, job.certificatePem, job.letterCertificatePem);
  if (job.kind === 'letter') return openLetter(job.documentXml, job.certificatePem);
  return signMessage(job.job);
});
