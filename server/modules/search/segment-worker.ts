// Worker thread of the segmentation pool (tokens.ts): the word tokens of each text it is sent.
import { threadId } from 'node:worker_threads';
import { serveJobs } from '../../lib/worker-pool';
import { tokenize } from './words';

export interface SegmentJob { texts: string[] }
export interface SegmentResult { tokens: string[][]; threadId: number }

serveJobs<SegmentJob, SegmentResult>(({ texts }) => ({ tokens: texts.map(tokenize), threadId }));
