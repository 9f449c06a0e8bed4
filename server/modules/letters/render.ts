// The letters API the rest of the product uses (the routes, signing, sending):
//   renderHtmlToPdf(html, options)             → PDF/A-3b bytes of any HTML page (a visible signature block, a stamp)
//   renderLetterPdf(fields, issuer, options)   → { pdf, text, html, signatureSpace } of a letter from its fields
//   renderDocumentPdf(document, options)       → the same for a stored document, with its organisation's settings
// Chromium draws (chromium.ts, a warm pool); @cantoo/pdf-lib makes the result PDF/A-3b in a worker thread.
import fs from 'node:fs';
import path from 'node:path';
import { WorkerPool } from '../../lib/worker-pool';
import type { Document } from '../../db/models';
import { letterPool, rendererUnavailable } from './chromium';
import { composeHtml, letterText, letterView, secrecyText, type LetterFields, type LetterIssuer, type SignatureOptions, type TemplateSource } from './compose';
import { escapeHtml, TemplateError } from './template';
import { unprocessable } from '../../lib/errors';
import type { PdfaJob, PdfaResult } from './pdfa-worker';
import type { SignatureSpace } from './signature-space';

const FONT_DIR = process.env.LETTER_FONT_DIR || '/usr/share/fonts/truetype/tlwg';
/** Regular and bold declared apart: a bold Chromium has to make up becomes a Type 3 font. */
const FONT_FILES: Record<string, string> = { '/fonts/regular.ttf': 'Laksaman.ttf', '/fonts/bold.ttf': 'Laksaman-Bold.ttf' };
const fonts = new Map<string, Buffer>();

function loadFonts(): void {
  if (fonts.size === Object.keys(FONT_FILES).length) return;
  for (const [urlPath, file] of Object.entries(FONT_FILES)) {
    const full = path.join(FONT_DIR, file);
    if (!fs.existsSync(full)) throw rendererUnavailable(`the letter font ${full} is missing`);
    fonts.set(urlPath, fs.readFileSync(full));
  }
  letterPool().serveAssets((p) => (fonts.has(p) ? { body: fonts.get(p)!, contentType: 'font/ttf' } : undefined));
}

const assetsDir = path.resolve(__dirname.includes(`${path.sep}dist${path.sep}`) ? path.resolve(__dirname, '..', '..', '..', '..', 'server', 'modules', 'letters') : __dirname, 'assets');
/** The project's own placeholder, plainly marked as one, until the organisation uploads its Garuda. */
export const PLACEHOLDER_GARUDA = { body: fs.readFileSync(path.join(assetsDir, 'garuda-placeholder.svg')), mime: 'image/svg+xml' };
const dataUrl = (img: { body: Buffer; mime: string }) => `data:${img.mime};base64,${img.body.toString('base64')}`;

let pdfa: WorkerPool<PdfaJob, PdfaResult> | undefined;

export interface HtmlToPdfOptions {
  /** Printed at the top and the foot of every page, in red (ลับ, ลับมาก). */
  secrecy?: string | null;
  /** Document information kept in the PDF/A metadata. */
  title?: string;
  subject?: string;
  author?: string;
  /** The signature's verification link: its QR code and code at the foot of every page. */
  verification?: LetterVerification;
}

/** Where anyone checks a signed letter (`/verify/<code>`), and its QR code as SVG. */
export interface LetterVerification { code: string; url: string; qrSvg: string }

/** A mark in Chromium's page margin. The margin is drawn apart from the page: it sees only fonts installed on the system (Laksaman). */
const marginMark = (text: string) =>
  `<div style="width:100%;text-align:center;font-family:Laksaman;font-weight:700;font-size:16pt;color:#c00000;-webkit-print-color-adjust:exact">${escapeHtml(text)}</div>`;

/** The QR code and the link in the bottom margin, left; the secrecy mark (if any) stays centred under them. */
const verificationMark = (v: LetterVerification) =>
  `<div style="width:100%;padding:0 2cm 0 3cm;display:flex;align-items:center;gap:2mm;font-family:Laksaman;font-size:7pt;color:#333;-webkit-print-color-adjust:exact">`
  + `<img src="data:image/svg+xml;base64,${Buffer.from(v.qrSvg).toString('base64')}" style="width:13mm;height:13mm">`
  + `<span>ลงลายมือชื่ออิเล็กทรอนิกส์ ตรวจสอบได้ที่ ${escapeHtml(v.url)} (รหัส ${escapeHtml(v.code)})</span></div>`;

/** Any HTML page (A4 unless its CSS says otherwise) to PDF/A-3b. Throws 503 when Chromium or the font is missing, or the queue is full. */
export async function renderHtmlToPdf(html: string, options: HtmlToPdfOptions = {}): Promise<Buffer> {
  return (await renderPage(html, options)).pdf;
}

/** The page as PDF/A-3b, and where its signature space was printed (if its HTML marks one). */
async function renderPage(html: string, options: HtmlToPdfOptions): Promise<{ pdf: Buffer; signatureSpace: SignatureSpace | null }> {
  loadFonts();
  const footer = [options.verification && verificationMark(options.verification), options.secrecy && marginMark(options.secrecy)].filter(Boolean).join('');
  const marks = { ...(options.secrecy ? { headerTemplate: marginMark(options.secrecy) } : {}), ...(footer ? { footerTemplate: `<div style="width:100%">${footer}</div>` } : {}) };
  const raw = await letterPool().pdf(html, marks);
  pdfa ??= new WorkerPool<PdfaJob, PdfaResult>(path.join(__dirname, 'pdfa-worker'));
  const out = await pdfa.run({ pdf: raw, title: options.title ?? '', subject: options.subject ?? '', author: options.author ?? '' });
  return { pdf: Buffer.from(out.pdf), signatureSpace: out.signatureSpace };
}

export interface LetterRenderOptions {
  thaiDigits?: boolean;
  signature?: SignatureOptions;
  /** The organisation's Garuda image; the placeholder otherwise. */
  garuda?: { body: Buffer; mime: string } | null;
  /** The organisation's own versions of templates, by name. */
  templates?: TemplateSource;
  /** Marks the page ร่าง (draft). */
  draft?: boolean;
  /** A signed letter's verification QR and link on every page. */
  verification?: LetterVerification;
}

export interface RenderedLetter {
  pdf: Buffer;
  /** The letter's text as written (for search and for comparing with what was signed). */
  text: string;
  html: string;
  /**
   * Where the signature goes: the box the template marked above the signer's name, on its page, in
   * PDF points; null when the template marks none (an organisation's own signature template).
   */
  signatureSpace: SignatureSpace | null;
}

/** The letter's fields as the templates read them, from a stored document. */
export function letterFieldsOf(doc: Document): LetterFields {
  const parse = <T,>(json: string | null, fallback: T): T => (json ? (JSON.parse(json) as T) : fallback);
  return {
    type: doc.type, subType: doc.subType, status: doc.status, urgency: doc.urgency, urgentBy: doc.urgentBy, secrecy: doc.secrecy, letterNumber: doc.letterNumber,
    letterDate: doc.letterDate, subject: doc.subject, addressee: doc.addressee, salutation: doc.salutation, body: doc.body, closing: doc.closing,
    signerName: doc.signerName, signerPosition: doc.signerPosition, contact: doc.contact, references: parse(doc.referencesJson, []),
    enclosures: parse(doc.enclosuresJson, []), copiesTo: parse(doc.copiesToJson, []),
  };
}

/** The letter's HTML; a template of the organisation's that cannot be used is the client's 422, not a 500. */
export function composeLetter(fields: LetterFields, view: ReturnType<typeof letterView>, templates?: TemplateSource): string {
  try {
    return composeHtml(fields, view, templates);
  } catch (err) {
    if (err instanceof TemplateError) throw unprocessable(`The letter cannot be drawn with this organisation's templates: ${err.message}. An administrator can correct or reset them.`);
    throw err;
  }
}

/** A letter in the Regulation's layout for its type, as PDF/A-3b, with its text. */
export async function renderLetterPdf(fields: LetterFields, issuer: LetterIssuer, options: LetterRenderOptions = {}): Promise<RenderedLetter> {
  const view = letterView(fields, issuer, { thaiDigits: options.thaiDigits, signature: options.signature, draft: options.draft, garuda: dataUrl(options.garuda ?? PLACEHOLDER_GARUDA) });
  const html = composeLetter(fields, view, options.templates);
  const secrecy = secrecyText(fields);
  const { pdf, signatureSpace } = await renderPage(html, { secrecy, verification: options.verification, title: fields.subject, subject: fields.letterNumber ?? '', author: issuer.nameTh });
  return { pdf, text: letterText(html, secrecy), html, signatureSpace };
}

/** Stops the renderer (tests, shutdown). */
export async function closeRenderer(): Promise<void> {
  await letterPool().close();
  await pdfa?.close();
  pdfa = undefined;
}
