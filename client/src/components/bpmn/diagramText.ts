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

/** The text with a WORD_JOINT between Thai words (Intl.Segmenter's dictionary), for layout only. */
export function breakThaiWords(text: string): string {
  if (!text || !THAI.test(text)) return text;
  segmenter ??= new Intl.Segmenter('th', { granularity: 'word' });
  let out = '';
  let previousWord = false;
  for (const { segment, isWordLike } of segmenter.segment(text)) {
    const word = Boolean(isWordLike) && THAI.test(segment);
    if (word && previousWord) out += WORD_JOINT;
    out += segment;
    previousWord = Boolean(isWordLike);
  }
  return out;
}

type Rect = { x: number; y: number; width: number; height: number };
type RendererConfig = ConstructorParameters<typeof BpmnTextRenderer>[0];

/** bpmn-js's TextRenderer, laying out labels with Thai word breaks (the label's text itself is unchanged). */
function ThaiTextRenderer(this: Record<string, unknown>, config: RendererConfig) {
  const base = new BpmnTextRenderer(config);
  this.getExternalLabelBounds = (bounds: Rect, text: string) => base.getExternalLabelBounds(bounds, breakThaiWords(text));
  this.getTextAnnotationBounds = (bounds: Rect, text: string) => base.getTextAnnotationBounds(bounds, breakThaiWords(text));
  this.getDimensions = (text: string, options: unknown) => base.getDimensions(breakThaiWords(text), options as never);
  this.createText = (text: string, options: unknown) => base.createText(breakThaiWords(text), options as never);
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
