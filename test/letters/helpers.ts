// Shared pieces of the letters tests: sample fields, and the poppler-utils checks of a PDF.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { testOutputDir } from '../helpers/env';
import os from 'node:os';
import path from 'node:path';

export const issuer = {
  nameTh: 'สำนักงานปลัดกระทรวงสาธารณสุข', address: 'ถนนติวานนท์ อำเภอเมือง\nจังหวัดนนทบุรี 11000', phone: '0 2590 1000', email: 'saraban@moph.go.th', unitName: 'กองกลาง',
};

/** Words whose vowels and tone marks sit on tall or tailed consonants: where broken shaping shows. */
export const MARKS = 'ผู้ใหญ่ น้ำ ปั้น ฟ้า ปี่ ญู ฐู ก็';

export const letterFields = (extra: Record<string, unknown> = {}) => ({
  type: 'external', subType: null as string | null, urgency: 'most_urgent', secrecy: 'normal', letterNumber: 'สธ 0201/123', letterDate: '2025-02-14',
  subject: `ขอเชิญประชุมคณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์ (${MARKS})`, addressee: 'ผู้ว่าราชการจังหวัดเชียงใหม่', salutation: 'เรียน',
  body: `ด้วยสำนักงานปลัดกระทรวงสาธารณสุข (${MARKS}) จะจัดประชุมคณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์ ในวันที่ 20 กุมภาพันธ์ 2568 เวลา 09.30 น.\nจึงเรียนมาเพื่อโปรดพิจารณาเข้าร่วมประชุมด้วย จะขอบคุณยิ่ง`,
  closing: 'ขอแสดงความนับถือ', signerName: 'นายวิชัย ทองดี', signerPosition: 'ผู้อำนวยการกองกลาง',
  references: [{ owner: 'หนังสือสำนักนายกรัฐมนตรี', number: 'นร 0105/123', date: '2025-01-10' }], enclosures: ['กำหนดการประชุม', 'แบบตอบรับ'], copiesTo: ['สำนักงานสาธารณสุขจังหวัดเชียงใหม่'],
  ...extra,
});


/** The PDF's fonts as pdffonts lists them: name, type, embedded. */
export function fontsOf(pdf: Buffer): Array<{ name: string; type: string; embedded: boolean }> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'letter-')), 'x.pdf');
  fs.writeFileSync(file, pdf);
  try {
    const out = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    // Columns: name, type (may have spaces), encoding, emb, sub, uni, object, id.
    return out.map((line) => {
      const m = /^(\S+)\s+(.+?)\s{2,}(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)/.exec(line);
      return m ? { name: m[1], type: m[2].trim(), embedded: m[4] === 'yes' } : { name: line, type: 'unparsed', embedded: false };
    });
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

/** The text of each page, as poppler extracts it (whitespace dropped: it adds spaces before some Thai marks). */
export function pageTexts(pdf: Buffer): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'letter-'));
  const file = path.join(dir, 'x.pdf');
  fs.writeFileSync(file, pdf);
  try {
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    return Array.from({ length: pages }, (_, i) => execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ''));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes the first page as a PNG into test-output/letters for a person to look at. */
export function savePng(pdf: Buffer, name: string): string {
  const outputDir = testOutputDir('letters');
  const file = path.join(outputDir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-r', '110', '-png', '-f', '1', '-l', '1', '-singlefile', file, path.join(outputDir, name)]);
  return path.join(outputDir, `${name}.png`);
}

export interface TextLine { text: string; xMin: number; yMin: number; xMax: number; yMax: number }

/**
 * Each page's lines of text with their boxes as poppler sees them (pdftotext -bbox-layout), in
 * points from the page's top-left; words joined without spaces. An independent look at where
 * things were printed.
 */
export function textLines(pdf: Buffer): Array<{ height: number; lines: TextLine[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'letter-'));
  const file = path.join(dir, 'x.pdf');
  fs.writeFileSync(file, pdf);
  try {
    const xml = execFileSync('pdftotext', ['-bbox-layout', file, '-'], { encoding: 'utf8' });
    const num = (s: string, k: string) => Number(new RegExp(`${k}="([0-9.]+)"`).exec(s)![1]);
    return xml.split('<page ').slice(1).map((page) => ({
      height: num(page, 'height'),
      lines: [...page.matchAll(/<line ([^>]*)>([\s\S]*?)<\/line>/g)].map(([, attrs, inner]) => ({
        text: [...inner.matchAll(/<word[^>]*>([^<]*)<\/word>/g)].map((w) => w[1]).join(''),
        xMin: num(attrs, 'xMin'), yMin: num(attrs, 'yMin'), xMax: num(attrs, 'xMax'), yMax: num(attrs, 'yMax'),
      })),
    }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
