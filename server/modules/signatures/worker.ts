// Worker thread entry: PDF parsing, hashing, RSA signing and verification are CPU work that would
// hold the event loop for tens of milliseconds per letter (see bench/signing.ts).
import { serveJobs } from '../../lib/worker-pool';
import { runJob, SignatureJob } from './jobs';

serveJobs<SignatureJob, unknown>(runJob);
