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

/** Where a visible block goes and what it looks like: a one-page PDF whose page becomes the appearance. */
export interface Appearance {
  pdf: Buffer;
  page: number;
  /** Lower-left corner in PDF points from the page's lower-left. */
  x: number;
  y: number;
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

  const pageIndex = Math.min(options.appearance?.page ?? 0, doc.getPageCount() - 1);
  const page = doc.getPage(pageIndex);
  const widget = context.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', F: 4, Rect: [0, 0, 0, 0] }) as PDFDict;
  widget.set(PDFName.of('T'), PDFHexString.fromText(options.fieldName));
  widget.set(PDFName.of('V'), sigRef);
  widget.set(PDFName.of('P'), page.ref);
  if (options.appearance) {
    const ap = await appearanceRef(doc, options.appearance);
    const { x, y } = options.appearance;
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
  const page = doc.getPage(Math.min(appearance.page, doc.getPageCount() - 1));
  const ap = await appearanceRef(doc, appearance);
  const { x, y } = appearance;
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
