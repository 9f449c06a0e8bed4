// Word tokens for Thai full-text search on any database: Thai has no spaces between words, so
// text is split with Intl.Segmenter (ICU's dictionary-based word breaker) and each word is
// indexed in search_tokens (token, documentId).
import type { Transaction } from 'sequelize';
import { Document, SearchToken } from '../../db/models';
import { arabicDigits } from '../../lib/thai-date';

const segmenter = new Intl.Segmenter('th', { granularity: 'word' });
const MAX_TOKEN = 64;

export function normaliseText(text: string): string {
  return arabicDigits(text.normalize('NFC')).toLowerCase();
}

/** The distinct word tokens of a text, in first-seen order. */
export function tokenize(text: string | null | undefined): string[] {
  if (!text) return [];
  const out = new Set<string>();
  for (const s of segmenter.segment(normaliseText(text))) {
    if (!s.isWordLike) continue;
    // ICU keeps `นร0105` as one word; split letters from digits so spacing never matters.
    for (const part of s.segment.trim().split(/(?<=\p{L})(?=\d)|(?<=\d)(?=\p{L})/u)) if (part) out.add(part.slice(0, MAX_TOKEN));
  }
  return [...out];
}

export function documentTokens(doc: Pick<Document, 'subject' | 'body' | 'senderName' | 'addressee' | 'letterNumber'>): string[] {
  const tokens = new Set<string>();
  for (const text of [doc.subject, doc.body, doc.senderName, doc.addressee, doc.letterNumber]) for (const t of tokenize(text)) tokens.add(t);
  return [...tokens];
}

/** Rewrites a document's tokens; call it in the transaction that changed the document. */
export async function indexDocument(transaction: Transaction, doc: Document): Promise<void> {
  await SearchToken.destroy({ where: { documentId: doc.id }, transaction });
  const tokens = documentTokens(doc);
  if (tokens.length) await SearchToken.bulkCreate(tokens.map((token) => ({ documentId: doc.id, token })), { transaction });
}
