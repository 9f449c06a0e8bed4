// PDF side of signing: every signature, DSS and stamp is an incremental update appended to the
// file (@cantoo/pdf-lib loaded with forIncrementalUpdate), so the bytes earlier signatures cover
// never change. @signpdf/signpdf splices the CMS into the reserved /Contents.
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, PDFPage } from '@cantoo/pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, DEFAULT_BYTE_RANGE_PLACEHOLDER, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';

/** Bytes reserved for the CMS (certificates, time-stamp with the TSA's chain): 24 KB. */
export const SIGNATURE_BYTES = 24 * 1024;

export class PdfInputError extends Error {
  constructor(public code: 'not_pdf' | 'malformed_pdf' | 'encrypted_pdf', message: string) {
    super(message);
  }
}

/** Cheap first look, before a PIN attempt is spent: does it start like a PDF? */
export function assertLooksLikePdf(pdf: Buffer): void {
  if (pdf.subarray(0, 1024).indexOf('%PDF-') < 0) throw new PdfInputError('not_pdf', 'The file is not a PDF.');
}

/** Loads a PDF for an incremental update, refusing encrypted or unreadable files with a clear reason. */
export async function loadForUpdate(pdf: Buffer): Promise<PDFDocument> {
  assertLooksLikePdf(pdf);
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(pdf, { forIncrementalUpdate: true, updateMetadata: false, throwOnInvalidObject: true });
  } catch (err) {
    if ((err as Error).name === 'EncryptedPDFError' || /encrypted/i.test((err as Error).message)) {
      throw new PdfInputError('encrypted_pdf', 'The PDF is encrypted (password-protected); signatures cannot be added to or checked in it.');
    }
    throw new PdfInputError('malformed_pdf', `The PDF cannot be read: ${(err as Error).message.split('\n')[0].slice(0, 200)}`);
  }
  if (doc.getPageCount() === 0) throw new PdfInputError('malformed_pdf', 'The PDF has no pages.');
  return doc;
}

async function appendUpdate(doc: PDFDocument, original: Buffer): Promise<Buffer> {
  const increment = await doc.saveIncremental(doc.context.snapshot!, { useObjectStreams: false });
  // The original's last line must end before the update starts.
  const sep = original[original.length - 1] === 0x0a ? Buffer.alloc(0) : Buffer.from('\n');
  return Buffer.concat([original, sep, Buffer.from(increment)]);
}

function acroForm(doc: PDFDocument): PDFDict {
  const existing = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  const ref = doc.catalog.get(PDFName.of('AcroForm'));
  if (existing) {
    if (ref instanceof PDFRef) doc.context.snapshot!.markRefForSave(ref);
    return existing;
  }
  const form = doc.context.obj({ Fields: [] }) as PDFDict;
  doc.catalog.set(PDFName.of('AcroForm'), doc.context.register(form));
  return form;
}

function addAnnotation(doc: PDFDocument, page: PDFPage, annotRef: PDFRef): void {
  const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
  const annotsRef = page.node.get(PDFName.of('Annots'));
  if (annots) {
    annots.push(annotRef);
    if (annotsRef instanceof PDFRef) doc.context.snapshot!.markRefForSave(annotsRef);
  } else {
    page.node.set(PDFName.of('Annots'), doc.context.obj([annotRef]));
  }
  doc.context.snapshot!.markRefForSave(page.ref);
}

const MM = 72 / 25.4;

/**
 * Where a visible block goes and what it looks like: a one-page PDF whose page becomes the
 * appearance. A place is given in points from the page's lower-left, or named, and then worked
 * out here from the page size (in the worker, not on the event loop):
 * signature: lower right of the last page; receive: top right of page 1 (where the regulation's
 * stamp goes); endorsement N: page 1, stacked up from the bottom left, then the right column.
 * A box (the letter's signature space, as the renderer found it): centred in it.
 */
export type Place = { page: number; x: number; y: number } | { box: { page: number; x: number; y: number; width: number; height: number } } | { at: 'signature' } | { at: 'receive' } | { at: 'endorsement'; index: number };
export interface Appearance { pdf: Buffer; place: Place }

/** Signature fields already in the file: the next visible block goes beside or above them. */
function signatureCount(doc: PDFDocument): number {
  const fields = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict)?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  if (!fields) return 0;
  return fields.asArray().filter((f) => doc.context.lookupMaybe(f, PDFDict)?.get(PDFName.of('FT')) === PDFName.of('Sig')).length;
}

function resolvePlace(doc: PDFDocument, place: Place, size: { width: number; height: number }): { page: number; x: number; y: number } {
  const count = doc.getPageCount();
  const clampPage = (n: number) => Math.min(Math.max(0, n), count - 1);
  if ('page' in place) return { ...place, page: clampPage(place.page) };
  if ('box' in place) {
    const { box } = place;
    return { page: clampPage(box.page), x: box.x + (box.width - size.width) / 2, y: box.y + (box.height - size.height) / 2 };
  }
  if (place.at === 'signature') {
    // First signer lower right, the next lower left, then a row higher: co-signers never overlap.
    const { width } = doc.getPage(count - 1).getSize();
    const k = signatureCount(doc);
    return { page: count - 1, x: k % 2 ? 20 * MM : width - 95 * MM, y: 25 * MM + Math.floor(k / 2) * 36 * MM };
  }
  const { width, height } = doc.getPage(0).getSize();
  if (place.at === 'receive') return { page: 0, x: width - 66 * MM, y: height - 38 * MM };
  const perColumn = Math.max(1, Math.floor((height - 60 * MM) / (31 * MM)));
  const column = Math.floor(place.index / perColumn) % 2;
  return { page: 0, x: column ? width - 90 * MM : 10 * MM, y: 8 * MM + (place.index % perColumn) * 31 * MM };
}

async function appearanceRef(doc: PDFDocument, appearance: Appearance): Promise<{ ref: PDFRef; width: number; height: number }> {
  const [embedded] = await doc.embedPdf(appearance.pdf, [0]);
  return { ref: embedded.ref, width: embedded.width, height: embedded.height };
}

export interface PlaceholderOptions {
  fieldName: string;
  reason?: string;
  location?: string;
  signerName?: string;
  signingTime: Date;
  appearance?: Appearance;
}

/** PDF date string D:YYYYMMDDHHmmSS+00'00'. */
const pdfDate = (d: Date) => `D:${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}+00'00'`;

/** Appends a signature field with an empty, reserved /Contents and a /ByteRange placeholder. */
export async function addSignaturePlaceholder(pdf: Buffer, options: PlaceholderOptions): Promise<Buffer> {
  const doc = await loadForUpdate(pdf);
  const { context } = doc;
  // ByteRange before Contents: @signpdf looks for /Contents after the /ByteRange placeholder.
  const sig = context.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: SUBFILTER_ETSI_CADES_DETACHED,
    ByteRange: [0, PDFName.of(DEFAULT_BYTE_RANGE_PLACEHOLDER), PDFName.of(DEFAULT_BYTE_RANGE_PLACEHOLDER), PDFName.of(DEFAULT_BYTE_RANGE_PLACEHOLDER)],
  }) as PDFDict;
  sig.set(PDFName.of('Contents'), PDFHexString.of('0'.repeat(SIGNATURE_BYTES * 2)));
  sig.set(PDFName.of('M'), PDFString.of(pdfDate(options.signingTime)));
  if (options.reason) sig.set(PDFName.of('Reason'), PDFHexString.fromText(options.reason));
  if (options.location) sig.set(PDFName.of('Location'), PDFHexString.fromText(options.location));
  if (options.signerName) sig.set(PDFName.of('Name'), PDFHexString.fromText(options.signerName));
  const sigRef = context.register(sig);

  const ap = options.appearance ? await appearanceRef(doc, options.appearance) : undefined;
  const where = options.appearance && ap ? resolvePlace(doc, options.appearance.place, ap) : { page: doc.getPageCount() - 1, x: 0, y: 0 };
  const page = doc.getPage(where.page);
  const widget = context.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', F: 4, Rect: [0, 0, 0, 0] }) as PDFDict;
  widget.set(PDFName.of('T'), PDFHexString.fromText(options.fieldName));
  widget.set(PDFName.of('V'), sigRef);
  widget.set(PDFName.of('P'), page.ref);
  if (ap) {
    const { x, y } = where;
    widget.set(PDFName.of('Rect'), context.obj([x, y, x + ap.width, y + ap.height]));
    widget.set(PDFName.of('AP'), context.obj({ N: ap.ref }));
  }
  const widgetRef = context.register(widget);
  addAnnotation(doc, page, widgetRef);
  const form = acroForm(doc);
  const fields = form.lookupMaybe(PDFName.of('Fields'), PDFArray);
  if (fields) {
    fields.push(widgetRef);
    const fieldsRef = form.get(PDFName.of('Fields'));
    if (fieldsRef instanceof PDFRef) context.snapshot!.markRefForSave(fieldsRef);
  } else {
    form.set(PDFName.of('Fields'), context.obj([widgetRef]));
  }
  form.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  return appendUpdate(doc, pdf);
}

class CallbackSigner extends Signer {
  constructor(private readonly fn: (content: Buffer) => Promise<Buffer>) {
    super();
  }
  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    return this.fn(pdfBuffer);
  }
}

/** Fills the placeholder: `cms` receives exactly the bytes the /ByteRange covers. */
export async function spliceSignature(pdfWithPlaceholder: Buffer, cms: (content: Buffer) => Promise<Buffer>): Promise<Buffer> {
  return new SignPdf().sign(pdfWithPlaceholder, new CallbackSigner(cms));
}

/**
 * B-LT: a Document Security Store with the certificates and CRLs a verifier needs later, as one
 * more incremental update after the signature (so the signature's bytes stay as they were).
 */
export async function addDss(pdf: Buffer, certs: Buffer[], crls: Buffer[]): Promise<Buffer> {
  const doc = await loadForUpdate(pdf);
  const { context } = doc;
  const streams = (items: Buffer[]) => items.map((b) => context.register(context.flateStream(b)));
  const existing = doc.catalog.lookupMaybe(PDFName.of('DSS'), PDFDict);
  const dss = existing ?? (context.obj({}) as PDFDict);
  for (const [key, items] of [['Certs', certs], ['CRLs', crls]] as const) {
    if (!items.length) continue;
    const arr = dss.lookupMaybe(PDFName.of(key), PDFArray) ?? (context.obj([]) as PDFArray);
    for (const ref of streams(items)) arr.push(ref);
    dss.set(PDFName.of(key), arr);
  }
  const dssRef = doc.catalog.get(PDFName.of('DSS'));
  if (dssRef instanceof PDFRef) context.snapshot!.markRefForSave(dssRef);
  else doc.catalog.set(PDFName.of('DSS'), context.register(dss));
  return appendUpdate(doc, pdf);
}

/** A stamp (receive stamp, endorsement) as a Stamp annotation whose appearance is the rendered block. */
export async function addStampAnnotation(pdf: Buffer, appearance: Appearance, title: string, contents: string): Promise<Buffer> {
  const doc = await loadForUpdate(pdf);
  const { context } = doc;
  const ap = await appearanceRef(doc, appearance);
  const { page: index, x, y } = resolvePlace(doc, appearance.place, ap);
  const page = doc.getPage(index);
  const annot = context.obj({ Type: 'Annot', Subtype: 'Stamp', F: 4 + 128 /* print, locked */, Rect: [x, y, x + ap.width, y + ap.height] }) as PDFDict;
  annot.set(PDFName.of('AP'), context.obj({ N: ap.ref }));
  annot.set(PDFName.of('T'), PDFHexString.fromText(title));
  annot.set(PDFName.of('Contents'), PDFHexString.fromText(contents));
  annot.set(PDFName.of('P'), page.ref);
  addAnnotation(doc, page, context.register(annot));
  return appendUpdate(doc, pdf);
}

export function pageSize(doc: PDFDocument, index: number): { width: number; height: number } {
  return doc.getPage(Math.min(index, doc.getPageCount() - 1)).getSize();
}
