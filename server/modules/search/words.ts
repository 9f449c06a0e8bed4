// Word tokens of a text, with no database: loaded by the segmentation worker as well as the server.
//
// Thai has no spaces between words, so text is split with Intl.Segmenter (ICU's dictionary-based
// word breaker). Its cost grows with the length of the string it is given, faster than linearly
// (V8 20 / ICU 77: 2,000 characters take 0.5 ms, 32,000 take 34 ms, and past 65,535 a string takes
// ~10 s), so a text is segmented in pieces of at most CHUNK characters: 200,000 characters in ~40 ms
// instead of 33 s. A piece ends after a whitespace, where ICU always breaks, so the words are the
// ones the whole text gives; a run with no whitespace is cut by the overlap rule in `pieceEnd`.
import { arabicDigits } from '../../lib/thai-date';

const segmenter = new Intl.Segmenter('th', { granularity: 'word' });
const MAX_TOKEN = 64;
const CHUNK = 2000;
/** Where a piece is looked for a whitespace to end at, and how far before a hard cut words are redone. */
const MARGIN = 400;

export function normaliseText(text: string): string {
  return arabicDigits(text.normalize('NFC')).toLowerCase();
}

// A whitespace followed by a letter or digit: ICU breaks there whatever comes before or after
// (a mark or a second space after it would join the space's segment instead).
const SAFE_END = /\s(?=[\p{L}\p{N}])/gu;

/** The end of the piece starting at `start`: after the last safe whitespace near the cap, else the cap. */
function pieceEnd(text: string, start: number): { end: number; exact: boolean } {
  const cap = start + CHUNK;
  if (cap >= text.length) return { end: text.length, exact: true };
  let end = -1;
  // The window reaches one past the cap, for the lookahead.
  for (const m of text.slice(cap - MARGIN, cap + 1).matchAll(SAFE_END)) end = cap - MARGIN + m.index + 1;
  return end > start ? { end, exact: true } : { end: cap, exact: false };
}

/** The word-like segments of a text, in order (a text of any length costs time in proportion). */
export function* words(text: string): Generator<string> {
  for (let start = 0; start < text.length;) {
    const { end, exact } = pieceEnd(text, start);
    const piece = text.slice(start, end);
    let next = end;
    for (const s of segmenter.segment(piece)) {
      // A hard cut may split a word, and the dictionary looks a few words ahead: words that end
      // within MARGIN of the cut are left to the next piece, which starts where they start.
      if (!exact && s.index > 0 && s.index + s.segment.length > piece.length - MARGIN) {
        next = start + s.index;
        break;
      }
      if (s.isWordLike) yield s.segment;
    }
    start = next;
  }
}

/** The distinct word tokens of a text, in first-seen order. */
export function tokenize(text: string | null | undefined): string[] {
  if (!text) return [];
  const out = new Set<string>();
  for (const word of words(normaliseText(text))) {
    // ICU keeps `นร0105` as one word; split letters from digits so spacing never matters.
    for (const part of word.trim().split(/(?<=\p{L})(?=\d)|(?<=\d)(?=\p{L})/u)) if (part) out.add(part.slice(0, MAX_TOKEN));
  }
  return [...out];
}
