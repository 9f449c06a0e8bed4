// Word tokens for Thai full-text search on any database: each word of a document's texts is
// indexed in search_tokens (token, documentId). The words come from words.ts; a long text is
// segmented on a worker thread (a 200,000-character body takes ~90 ms of CPU, too long to hold the
// event loop), and before the write transaction opens, so no lock waits on segmentation.
import path from 'node:path';
import type { Transaction } from 'sequelize';
import { Document, SearchToken } from '../../db/models';
import { appendRows } from '../../db/transaction';
import { WorkerPool } from '../../lib/worker-pool';
import type { SegmentJob, SegmentResult } from './segment-worker';
import { tokenize } from './words';

export { normaliseText, tokenize } from './words';

const FIELDS = ['subject', 'body', 'senderName', 'addressee', 'letterNumber'] as const;
type Texts = Partial<Record<(typeof FIELDS)[number], string | null>>;
/** Below this many characters in all, texts are segmented in place (well under 1 ms). */
const INLINE_LIMIT = 4000;

let pool: WorkerPool<SegmentJob, SegmentResult> | undefined;
/** Where the last batch of texts was segmented (0: the main thread); lets tests see the worker was used. */
export const segmentation = { lastThreadId: 0 };

/** The tokens of each text, in order; large batches are segmented on a worker thread. */
export async function tokenizeTexts(texts: string[]): Promise<string[][]> {
  if (texts.reduce((n, text) => n + text.length, 0) < INLINE_LIMIT) {
    segmentation.lastThreadId = 0;
    return texts.map(tokenize);
  }
  pool ??= new WorkerPool<SegmentJob, SegmentResult>(path.join(__dirname, 'segment-worker'));
  const { tokens, threadId } = await pool.run({ texts });
  segmentation.lastThreadId = threadId;
  return tokens;
}

/** Tokens already computed for some texts (text → tokens), to take into a transaction. */
export type PreparedTokens = Map<string, string[]>;

const textsOf = (doc: Texts | null | undefined): string[] => (doc ? FIELDS.map((f) => doc[f]).filter((x): x is string => Boolean(x)) : []);

async function prepare(texts: string[], into: PreparedTokens): Promise<PreparedTokens> {
  const todo = [...new Set(texts)].filter((text) => !into.has(text));
  if (!todo.length) return into;
  const tokens = await tokenizeTexts(todo);
  todo.forEach((text, i) => into.set(text, tokens[i]));
  return into;
}

/**
 * Segments a document's texts ahead of the transaction that writes them: `layers` are the document
 * as read (if any) and the changes to it, later ones winning field by field.
 */
export function prepareTokens(...layers: (Texts | null | undefined)[]): Promise<PreparedTokens> {
  const merged: Texts = {};
  for (const layer of layers) for (const f of FIELDS) if (layer && layer[f] !== undefined) merged[f] = layer[f];
  return prepare(textsOf(merged), new Map());
}

/** The distinct tokens of a document's texts (synchronous: for small texts and bulk tools). */
export function documentTokens(doc: Texts): string[] {
  const tokens = new Set<string>();
  for (const f of FIELDS) for (const t of tokenize(doc[f])) tokens.add(t);
  return [...tokens];
}

/**
 * Rewrites a document's tokens; call it in the transaction that changed the document, with the
 * tokens prepared before it opened. A text that changed meanwhile (or was not prepared) is
 * segmented here, still off the event loop.
 */
export async function indexDocument(transaction: Transaction, doc: Document, prepared?: PreparedTokens): Promise<void> {
  const known = await prepare(textsOf(doc), new Map(prepared));
  const tokens = new Set<string>();
  for (const text of textsOf(doc)) for (const t of known.get(text)!) tokens.add(t);
  await SearchToken.destroy({ where: { documentId: doc.id }, transaction });
  // Plain multi-row INSERTs: a long letter has thousands of tokens, and building a model instance
  // for each held the event loop for ~40 ms.
  await appendRows(SearchToken.sequelize!, 'search_tokens', [...tokens].map((token) => ({ documentId: doc.id, token })), transaction);
}
