// Letters drawn by Chromium from their fields: every type and sub-type of the Regulation, fonts
// embedded as TrueType (no Type 3), PDF/A-3b, the text kept as written, secrecy marks on every page.
import { expect } from 'chai';
import { PDFDocument, PDFName } from '@cantoo/pdf-lib';
import { DOCUMENT_SUBTYPES, DOCUMENT_TYPES } from '../../server/db/models';
import { renderLetterPdf, renderHtmlToPdf } from '../../server/modules/letters/render';
import { ChromiumPool } from '../../server/modules/letters/chromium';
import { AppError } from '../../server/lib/errors';
import { letterView, composeHtml, TYPED_NAME_NOTE } from '../../server/modules/letters/compose';
import { thaiText } from '../helpers/thai-text';
import { SIGNATURE_SPACE_URL } from '../../server/modules/letters/signature-space';
import { fontsOf, issuer, letterFields, MARKS, pageTexts, savePng, textLines } from './helpers';

const kinds: Array<[string, string | null]> = DOCUMENT_TYPES.flatMap((type) => (DOCUMENT_SUBTYPES[type].length ? DOCUMENT_SUBTYPES[type].map((sub): [string, string | null] => [type, sub]) : [[type, null] as [string, string | null]]));

describe('letters: rendering', function () {
  this.timeout(120000);

  for (const [type, subType] of kinds) {
    const name = subType ? `${type}-${subType}` : type;
    it(`draws the ${name} layout with embedded TrueType fonts only, as PDF/A-3b, its text kept (PNG in test-output/letters)`, async () => {
      const fields = letterFields({ type, subType, secrecy: 'confidential' });
      const { pdf, text } = await renderLetterPdf(fields, issuer, { signature: { mode: 'typed' } });
      savePng(pdf, name);
      expect(pdf.subarray(0, 5).toString()).to.equal('%PDF-');
      const fonts = fontsOf(pdf);
      expect(fonts.length).to.be.greaterThan(0);
      for (const f of fonts) {
        expect(f.type, f.name).to.match(/^(CID )?TrueType/);
        expect(f.embedded, f.name).to.equal(true);
      }
      // Kept as written: the marks are in the source text exactly as typed.
      expect(text).to.include(MARKS);
      expect(text.split('\n')[0]).to.equal('ลับ');
      // PDF/A-3b: the XMP packet says so.
      const doc = await PDFDocument.load(pdf);
      const xmp = Buffer.from(pdf).toString('latin1');
      expect(xmp).to.match(/pdfaid:part(>|=")3/);
      expect(xmp).to.match(/pdfaid:conformance(>|=")B/);
      expect(doc.getTitle()).to.equal(fields.subject);
    });
  }

  it('prints the secrecy mark at the top and the foot of every page of a long letter', async () => {
    const { pdf } = await renderLetterPdf(letterFields({ secrecy: 'secret', body: thaiText(12000) }), issuer);
    const pages = pageTexts(pdf);
    expect(pages.length).to.be.greaterThan(2);
    for (const [i, page] of pages.entries()) {
      // poppler reads the header and footer as text of the page: the mark twice on each.
      expect(page.split('ลับมาก').length - 1, `page ${i + 1}`).to.be.at.least(2);
    }
  });

  it('finds the signature space above the signer\'s name on the last page of a long letter, and takes the marking link out of the letter', async () => {
    const fields = letterFields({ body: thaiText(6000) });
    const { pdf, signatureSpace: space } = await renderLetterPdf(fields, issuer, { signature: { mode: 'digital' } });
    const pages = textLines(pdf);
    expect(pages.length).to.be.greaterThan(1);
    expect(space, 'a signature space').to.be.an('object');
    expect(space!.page).to.equal(pages.length - 1);
    // Seen by poppler: between the closing and the name in parentheses, and as wide as the block's column.
    const { height, lines } = pages[space!.page];
    const closing = lines.find((l) => l.text === fields.closing)!;
    const name = lines.find((l) => l.text === `(${fields.signerName.replace(/\s+/g, '')})`)!;
    expect(closing && name, JSON.stringify(lines.map((l) => l.text))).to.be.ok;
    const top = height - (space!.y + space!.height);
    const bottom = height - space!.y;
    expect(top).to.be.within(closing.yMax - 1, name.yMin);
    expect(bottom).to.be.within(top + 40, name.yMin + 1);
    expect(space!.x).to.be.lessThan(name.xMin);
    expect(space!.x + space!.width).to.be.greaterThan(name.xMax);
    // The link is only a marker: no annotation of it is left in the letter.
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPages().every((p) => !p.node.get(PDFName.of('Annots')))).to.equal(true);
    expect(pdf.includes(SIGNATURE_SPACE_URL)).to.equal(false);
  });

  it('has no signature space where the layout has no signature (a news release)', async () => {
    const { signatureSpace } = await renderLetterPdf(letterFields({ type: 'public_relations', subType: 'news' }), issuer);
    expect(signatureSpace).to.equal(null);
  });

  it('writes Thai digits when the organisation asks for them, and Arabic digits otherwise', async () => {
    const garuda = 'data:image/svg+xml;base64,';
    const fields = letterFields();
    const thai = composeHtml(fields, letterView(fields, issuer, { thaiDigits: true, garuda }));
    const arabic = composeHtml(fields, letterView(fields, issuer, { garuda }));
    expect(thai).to.include('๑๔ กุมภาพันธ์ ๒๕๖๘').and.include('สธ ๐๒๐๑/๑๒๓').and.not.include('2568');
    expect(arabic).to.include('14 กุมภาพันธ์ 2568');
  });

  it('names the capacity and the principal in the signature block, and says when a typed name stands for the signature', async () => {
    const fields = letterFields();
    const html = composeHtml(fields, letterView(fields, issuer, { garuda: '', signature: { mode: 'typed', capacity: 'acting_for', principalPosition: 'ปลัดกระทรวงสาธารณสุข' } }));
    const block = html.slice(html.indexOf('class="signature"'));
    expect(block.indexOf('(นายวิชัย ทองดี)')).to.be.lessThan(block.indexOf('ผู้อำนวยการกองกลาง'));
    expect(block.indexOf('ผู้อำนวยการกองกลาง')).to.be.lessThan(block.indexOf('ปฏิบัติราชการแทน'));
    expect(block.indexOf('ปฏิบัติราชการแทน')).to.be.lessThan(block.indexOf('ปลัดกระทรวงสาธารณสุข'));
    expect(html).to.include(TYPED_NAME_NOTE);
    const untyped = composeHtml(fields, letterView(fields, issuer, { garuda: '', signature: { mode: 'digital', capacity: 'acting_in_post', principalPosition: 'ปลัดกระทรวงสาธารณสุข' } }));
    expect(untyped).to.include('รักษาราชการแทน').and.not.include(TYPED_NAME_NOTE);
  });

  it('puts the urgency in red at 22 pt Laksaman (32 pt TH Sarabun) and dates with the full Thai month and B.E. year', async () => {
    const fields = letterFields({ urgency: 'deadline', urgentBy: '2025-02-20T09:30:00+07:00' });
    const html = composeHtml(fields, letterView(fields, issuer, { garuda: '' }));
    expect(html).to.match(/\.urgency \{ color: #c00000; font-size: 22pt;/);
    expect(html).to.include('<p class="urgency">ด่วนภายใน 20 กุมภาพันธ์ 2568 เวลา 09.30 น.</p>');
  });

  it('escapes what the author typed: no field becomes markup', async () => {
    const fields = letterFields({ subject: '<img src=x onerror=alert(1)> & "q"', body: '<script>alert(1)</script>' });
    const html = composeHtml(fields, letterView(fields, issuer, { garuda: '' }));
    expect(html).to.not.include('<script>').and.not.include('<img src=x');
    expect(html).to.include('&lt;script&gt;').and.include('&amp; &quot;q&quot;');
  });

  it('answers 503 busy at once when the queue is full, and still renders those it took', async () => {
    const pool = new ChromiumPool(1, 1);
    try {
      const html = '<!doctype html><p>ก</p>';
      const results = await Promise.allSettled([pool.pdf(html), pool.pdf(html), pool.pdf(html)]);
      expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'fulfilled', 'rejected']);
      const refused = (results[2] as PromiseRejectedResult).reason as AppError;
      expect(refused.status).to.equal(503);
      expect(refused.code).to.equal('busy');
      expect(refused.headers?.['Retry-After']).to.equal('5');
    } finally {
      await pool.close();
    }
  });

  it('renders any HTML page to PDF for the other parts of the product (a signature block, a stamp)', async () => {
    const pdf = await renderHtmlToPdf('<!doctype html><html><body style="font-family:Letter">ลงชื่อ</body></html>', { title: 'block' });
    expect((await PDFDocument.load(pdf)).getPageCount()).to.equal(1);
  });
});
