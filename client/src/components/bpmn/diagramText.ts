// How bpmn-js writes labels and words, for every diagram the app draws (the modeler and the
// read-only viewers): the app's Thai font, Thai lines broken between words, and (in the modeler)
// its palette, menus and properties panel in the app's language.
import BpmnTextRenderer from 'bpmn-js/lib/draw/TextRenderer';
import { thaiFonts } from '../../theme';
import { bpmnTh } from '../../i18n/bpmn-th';
import type { Locale } from '../../i18n';

const THAI = /[\u0E00-\u0E7F]/;
/**
 * diagram-js breaks a line only at whitespace, "-" or a soft hyphen, and Thai writes no spaces
 * between words: a long Thai name was cut wherever the box ended, even before a vowel mark
 * (คำนวณวันครบก / ำหนด). U+FEFF is whitespace to its line breaker (JavaScript's \s), trimmed at the
 * ends of a line, and draws nothing; a soft hyphen would print "-" at the break, which Thai does not use.
 */
export const WORD_JOINT = '\uFEFF';

let segmenter: Intl.Segmenter | null = null;

/** Thai characters no line may start with (vowels and marks written after or over a consonant, ๆ). */
const NO_BREAK_BEFORE = /[\u0E30-\u0E3A\u0E45-\u0E4E]/;
/** Thai vowels written before their consonant: no line may end with one. */
const NO_BREAK_AFTER = /[\u0E40-\u0E44]/;

/**
 * A word with a WORD_JOINT wherever a line may break inside it: between written syllable parts,
 * never before a vowel or tone mark and never after a leading vowel (ก|ำ would print a lone ำ).
 * The last resort for one word wider than its shape: cut there, rather than anywhere.
 */
function breakInsideWord(word: string): string {
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const c = word[i];
    if (i > 0 && THAI.test(c) && !NO_BREAK_BEFORE.test(c) && !NO_BREAK_AFTER.test(word[i - 1])) out += WORD_JOINT;
    out += c;
  }
  return out;
}

/**
 * The text with a WORD_JOINT between Thai words (Intl.Segmenter's dictionary), for layout only.
 * Given `fits` (does this word fit on one line of the shape?), a Thai word that does not is also
 * made breakable inside (breakInsideWord).
 */
export function breakThaiWords(text: string, fits?: (word: string) => boolean): string {
  if (!text || !THAI.test(text)) return text;
  segmenter ??= new Intl.Segmenter('th', { granularity: 'word' });
  let out = '';
  let previousWord = false;
  for (const { segment, isWordLike } of segmenter.segment(text)) {
    const word = Boolean(isWordLike) && THAI.test(segment);
    if (word && previousWord) out += WORD_JOINT;
    out += word && fits && !fits(segment) ? breakInsideWord(segment) : segment;
    previousWord = Boolean(isWordLike);
  }
  return out;
}

type Rect = { x: number; y: number; width: number; height: number };
type RendererConfig = ConstructorParameters<typeof BpmnTextRenderer>[0];
type Style = Record<string, unknown>;
type Padding = number | { left?: number; right?: number };
type LayoutOptions = { box?: { width?: number }; padding?: Padding; style?: Style } | undefined;

/** diagram-js's defaults when a layout names no box or padding (util/Text.js), and bpmn-js's for labels and annotations. */
const DEFAULT_BOX_WIDTH = 150;
const EXTERNAL_LABEL_WIDTH = 90;
const TEXT_ANNOTATION_PADDING = 7;

/** bpmn-js's TextRenderer, laying out labels with Thai word breaks (the label's text itself is unchanged). */
function ThaiTextRenderer(this: Record<string, unknown>, config: RendererConfig) {
  const base = new BpmnTextRenderer(config);
  /** Whether a word fits one line `width` wide, measured as diagram-js measures the lines it lays out. */
  const fitsIn = (width: number, style: Style) => (word: string) => base.getDimensions(word, { box: { width: 100_000 }, style } as never).width < Math.round(width);
  const widthOf = (options: LayoutOptions) => {
    const pad = options?.padding ?? 0;
    return (options?.box?.width ?? DEFAULT_BOX_WIDTH) - (typeof pad === 'number' ? 2 * pad : (pad.left ?? 0) + (pad.right ?? 0));
  };
  const styleOf = (options: LayoutOptions) => ({ ...base.getDefaultStyle(), ...(options?.style ?? {}) }) as Style;
  this.getExternalLabelBounds = (bounds: Rect, text: string) =>
    base.getExternalLabelBounds(bounds, breakThaiWords(text, fitsIn(Math.max(bounds.width, EXTERNAL_LABEL_WIDTH), base.getExternalStyle() as Style)));
  this.getTextAnnotationBounds = (bounds: Rect, text: string) =>
    base.getTextAnnotationBounds(bounds, breakThaiWords(text, fitsIn(bounds.width - 2 * TEXT_ANNOTATION_PADDING, base.getDefaultStyle() as Style)));
  this.getDimensions = (text: string, options: LayoutOptions) => base.getDimensions(breakThaiWords(text, fitsIn(widthOf(options), styleOf(options))), options as never);
  this.createText = (text: string, options: LayoutOptions) => base.createText(breakThaiWords(text, fitsIn(widthOf(options), styleOf(options))), options as never);
  this.getDefaultStyle = () => base.getDefaultStyle();
  this.getExternalStyle = () => base.getExternalStyle();
}
ThaiTextRenderer.$inject = ['config.textRenderer'];

/** The text module every diagram of the app adds (additionalModules). */
export const ThaiTextModule = { textRenderer: ['type', ThaiTextRenderer] };

/** Options for every bpmn-js instance: labels in the app's bundled Thai font (bpmn-js writes Arial, which has no Thai glyphs). */
export const DIAGRAM_TEXT = { textRenderer: { defaultStyle: { fontFamily: thaiFonts, fontSize: 12 }, externalStyle: { fontFamily: thaiFonts, fontSize: 11 } } };

/**
 * bpmn-js's and the properties panel's `translate` service in the app's language: Thai from
 * i18n/bpmn-th.ts, English as bpmn-js writes it.
 */
export function translateModule(locale: Locale) {
  const translate = (template: string, replacements: Record<string, string> = {}) =>
    (locale === 'th' ? (bpmnTh[template] ?? template) : template).replace(/{([^}]+)}/g, (_m, key: string) => replacements[key] ?? `{${key}}`);
  return { translate: ['value', translate] };
}
