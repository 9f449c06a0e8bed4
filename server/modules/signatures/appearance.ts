// What a visible signature block and the stamps look like. Thai needs Chromium to place its marks
// (pdf-lib drops mark positioning), so these are HTML printed to a one-page PDF by a renderer the
// app injects — the letters module's pooled Chromium (`renderHtmlToPdf`) in the server, a test
// Chromium in tests. Without one, signatures are invisible and stamps answer 503.
import { AppError } from '../../lib/errors';

export type RenderHtmlToPdf = (html: string) => Promise<Buffer>;

let renderer: RenderHtmlToPdf | undefined;

/** Called once at start-up by whoever owns the Chromium pool (and by tests). */
export function setAppearanceRenderer(fn: RenderHtmlToPdf | undefined): void {
  renderer = fn;
}

export function hasAppearanceRenderer(): boolean {
  return renderer !== undefined;
}

export async function renderBlock(html: string): Promise<Buffer> {
  if (!renderer) throw new AppError(503, 'renderer_unavailable', 'Stamps need the PDF renderer (Chromium), which is not available on this server: install Debian\'s chromium.');
  return renderer(html);
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A block of `widthMm` × `heightMm` (the page size is the block: its page becomes the appearance),
 * in the letters' font (the letters' renderer serves it under /fonts/; Laksaman from the system otherwise).
 */
function block(widthMm: number, heightMm: number, inner: string, extraCss = ''): string {
  return `<!doctype html><html lang="th"><head><meta charset="utf-8"><style>
@page { size: ${widthMm}mm ${heightMm}mm; margin: 0 }
@font-face { font-family: "Letter"; src: url("/fonts/regular.ttf") format("truetype"); font-weight: 400 }
@font-face { font-family: "Letter"; src: url("/fonts/bold.ttf") format("truetype"); font-weight: 700 }
html, body { margin: 0; padding: 0; width: ${widthMm}mm; height: ${heightMm}mm; overflow: hidden }
body { font-family: "Letter", Laksaman, sans-serif; font-size: 10pt; line-height: 1.5; }
${extraCss}</style></head><body>${inner}</body></html>`;
}

export interface SignatureBlockText {
  nameTh: string;
  positionTh?: string | null;
  /** ปฏิบัติราชการแทน / รักษาราชการแทน and the principal's position. */
  capacity?: { kind: 'acting_for' | 'acting_in'; principalPositionTh: string } | null;
  signedAtText: string;
  verificationCode?: string;
}

/** The regulation's block: the name in parentheses, the position, the capacity line; then the signing note. */
export function signatureBlockHtml(t: SignatureBlockText): string {
  const capacity = t.capacity ? `<div>${t.capacity.kind === 'acting_for' ? 'ปฏิบัติราชการแทน' : 'รักษาราชการแทน'}${esc(t.capacity.principalPositionTh)}</div>` : '';
  return block(75, 32, `<div style="text-align:center;padding-top:1mm">
<div style="color:#1d3f8f;font-size:8pt">ลงลายมือชื่ออิเล็กทรอนิกส์ ${esc(t.signedAtText)}</div>
<div>(${esc(t.nameTh)})</div>${t.positionTh ? `<div>${esc(t.positionTh)}</div>` : ''}${capacity}
${t.verificationCode ? `<div style="font-size:7pt;color:#555">ตรวจสอบ: ${esc(t.verificationCode)}</div>` : ''}</div>`);
}

export interface SignatureMarkText {
  signedAtText: string;
  verificationCode?: string;
  /** The size of the block, to fit the letter's signature space. */
  widthMm: number;
  heightMm: number;
}

/** A drawn stroke where a pen signature would be (no image of anyone's hand is kept). */
const STROKE = `<svg viewBox="0 0 120 24" style="display:block;height:6mm;margin:0 auto" aria-hidden="true">
<path d="M4 18 C 14 2, 20 2, 22 14 S 30 22, 38 8 S 50 4, 52 16 S 62 20, 70 9 S 84 6, 88 15 S 104 16, 116 6" fill="none" stroke="#1d3f8f" stroke-width="2.2" stroke-linecap="round"/></svg>`;

/**
 * The signature put in a letter's signature space: a drawn stroke, "ลงนามแบบอิเล็กทรอนิกส์" and
 * the time. Not the name: the letter prints the name in parentheses, the position and the capacity
 * under the space already.
 */
export function signatureMarkHtml(t: SignatureMarkText): string {
  return block(t.widthMm, t.heightMm, `<div style="height:100%;display:flex;flex-direction:column;justify-content:center;text-align:center;color:#1d3f8f;line-height:1.3">
${STROKE}<div style="font-size:8pt">ลงนามแบบอิเล็กทรอนิกส์</div>
<div style="font-size:7pt">${esc(t.signedAtText)}${t.verificationCode ? ` · ตรวจสอบ ${esc(t.verificationCode)}` : ''}</div></div>`);
}

export interface ReceiveStampText { organisationName: string; receiveNumber: string; dateText: string; timeText: string }

/** The receive stamp (ตรารับ): organisation, เลขรับ, วันที่, เวลา in a box. */
export function receiveStampHtml(t: ReceiveStampText): string {
  return block(56, 30, `<div style="border:0.4mm solid #1d3f8f;color:#1d3f8f;margin:0.5mm;padding:0.5mm 2mm;height:26mm;font-size:9pt;line-height:1.4">
<div style="text-align:center;font-weight:bold;font-size:8pt;max-height:7.5mm;overflow:hidden">${esc(t.organisationName)}</div>
<div>เลขรับ ${esc(t.receiveNumber)}</div><div>วันที่ ${esc(t.dateText)}</div><div>เวลา ${esc(t.timeText)}</div></div>`);
}

export interface EndorsementText { text: string; nameTh: string; positionTh?: string | null; dateText: string }

/** An endorsement (เกษียน): the note, then the signer's name, position and date. */
export function endorsementHtml(t: EndorsementText): string {
  return block(80, 30, `<div style="color:#0b3d91;font-size:9pt;line-height:1.5;padding:1mm 2mm">
<div style="white-space:pre-wrap;max-height:13mm;overflow:hidden">${esc(t.text)}</div>
<div style="text-align:center">(${esc(t.nameTh)})</div>${t.positionTh ? `<div style="text-align:center">${esc(t.positionTh)}</div>` : ''}
<div style="text-align:center">${esc(t.dateText)}</div></div>`);
}
