// Runs in a worker thread: parsing and re-writing a PDF is CPU work that must not hold the event loop.
import { PDFDocument } from '@cantoo/pdf-lib';
import { serveJobs } from '../../lib/worker-pool';
import { takeSignatureSpace, type SignatureSpace } from './signature-space';

export interface PdfaJob { pdf: Uint8Array; title: string; subject: string; author: string }
export interface PdfaResult { pdf: Uint8Array; signatureSpace: SignatureSpace | null }

serveJobs<PdfaJob, PdfaResult>(async ({ pdf, title, subject, author }) => {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  // Read where the signature goes before the marking link is dropped from the letter.
  const signatureSpace = takeSignatureSpace(doc);
  doc.setTitle(title);
  doc.setSubject(subject);
  doc.setAuthor(author);
  doc.setCreator('Saraban');
  doc.setProducer('Saraban (Chromium, @cantoo/pdf-lib)');
  // PDF/A-3b: XMP metadata, an sRGB output intent and a document id; Chromium already embeds every font.
  doc.convertToPDFA({ conformance: '3B' });
  // Classic cross-reference tables: the signing step appends incremental updates to this file.
  return { pdf: await doc.save({ useObjectStreams: false }), signatureSpace };
});
