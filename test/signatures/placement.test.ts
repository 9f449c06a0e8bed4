// Where a visible signature goes in the file: centred in the box it is given (a letter's signature
// space), on that box's page, even when that is not the last one. pdf-lib only: no Chromium, fast.
import { expect } from 'chai';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber } from '@cantoo/pdf-lib';
import { addSignaturePlaceholder } from '../../server/modules/signatures/pdf';

async function pdfOf(pages: Array<[number, number]>): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (const [width, height] of pages) doc.addPage([width, height]).drawRectangle({ x: 0, y: 0, width, height, borderWidth: 1 });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

describe('signatures: placing the visible block', () => {
  it('centres the block in the signature space it is given, on that space\'s page', async () => {
    const letter = await pdfOf([[595, 842], [595, 842], [595, 842]]);
    const block = await pdfOf([[200, 45]]);
    const box = { page: 1, x: 288.75, y: 401.67, width: 249.56, height: 51 };
    const out = await addSignaturePlaceholder(letter, { fieldName: 'ลายมือชื่อ', signingTime: new Date(), appearance: { pdf: block, place: { box } } });
    const doc = await PDFDocument.load(out);
    const widgets = doc.getPages().map((p) => (p.node.lookupMaybe(PDFName.of('Annots'), PDFArray)?.asArray() ?? []).map((r) => doc.context.lookup(r, PDFDict)));
    expect(widgets.map((w) => w.length)).to.deep.equal([0, 1, 0]);
    const [x1, y1, x2, y2] = (widgets[1][0].lookup(PDFName.of('Rect'), PDFArray).asArray() as PDFNumber[]).map((n) => n.asNumber());
    expect([x2 - x1, y2 - y1]).to.deep.equal([200, 45]);
    expect(x1).to.be.closeTo(box.x + (box.width - 200) / 2, 0.01);
    expect(y1).to.be.closeTo(box.y + 3, 0.01);
    expect(y2).to.be.at.most(box.y + box.height);
  });
});
