// Where the signature goes on a letter. The signature template marks its signature space (the room
// above the signer's name in parentheses) as a link to SIGNATURE_SPACE_URL; Chromium prints every
// link as a /Link annotation whose /Rect is the element's box on the page it was laid out on, in PDF
// points. Reading that back gives the exact page and box, through page breaks, margins and any
// administrator's CSS, with no px-to-point arithmetic. The link is taken out of the letter again.
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef, PDFString, PDFHexString } from '@cantoo/pdf-lib';
import { LETTER_ORIGIN } from './chromium';

export const SIGNATURE_SPACE_URL = `${LETTER_ORIGIN}/signature-space`;

/** A box on a page (0-based), in PDF points from the page's lower-left corner. */
export interface SignatureSpace { page: number; x: number; y: number; width: number; height: number }

const uriOf = (annot: PDFDict): string | undefined => {
  const action = annot.lookupMaybe(PDFName.of('A'), PDFDict);
  const uri = action?.lookup(PDFName.of('URI'));
  return uri instanceof PDFString || uri instanceof PDFHexString ? uri.decodeText() : undefined;
};

/**
 * Finds the signature space and removes every link to the letter's own origin (nothing in a letter
 * should point there). The last mark wins: a letter has one signature block, at its end.
 */
export function takeSignatureSpace(doc: PDFDocument): SignatureSpace | null {
  let space: SignatureSpace | null = null;
  doc.getPages().forEach((page, index) => {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    if (!annots) return;
    for (let i = annots.size() - 1; i >= 0; i--) {
      const ref = annots.get(i);
      const annot = doc.context.lookupMaybe(ref, PDFDict);
      if (!annot || annot.get(PDFName.of('Subtype')) !== PDFName.of('Link')) continue;
      const uri = uriOf(annot);
      if (!uri?.startsWith(LETTER_ORIGIN)) continue;
      if (uri === SIGNATURE_SPACE_URL) {
        const [x1, y1, x2, y2] = (annot.lookup(PDFName.of('Rect'), PDFArray).asArray() as PDFNumber[]).map((n) => n.asNumber());
        space = { page: index, x: Math.min(x1, x2), y: Math.min(y1, y2), width: Math.abs(x2 - x1), height: Math.abs(y2 - y1) };
      }
      annots.remove(i);
      if (ref instanceof PDFRef) doc.context.delete(ref);
    }
    if (annots.size() === 0) page.node.delete(PDFName.of('Annots'));
  });
  return space;
}
