// The PDF receipt (ใบรับเรื่อง) of a citizen's request, drawn by the letters' renderer (one PDF
// engine in the product) from receipt.html. Drawn on demand for whoever opens the request with its
// tracking code and second detail, so it always shows the current status and nothing is stored.
import fs from 'node:fs';
import path from 'node:path';
import { parseTemplate, renderTemplate } from '../letters/template';
import { renderHtmlToPdf } from '../letters/render';
import { formatTrackingCode } from './identity';
import { CitizenSubmission } from '../../db/models';
import { AppError } from '../../lib/errors';
import { registerMailAttachment } from '../notify/mail/attachments';
import { presentTracking } from './service';
import { RECEIPT_ATTACHMENT } from './mail';

const source = path.resolve(__dirname.includes(`${path.sep}dist${path.sep}`) ? path.resolve(__dirname, '..', '..', '..', '..', 'server', 'modules', 'citizens') : __dirname, 'receipt.html');
const template = parseTemplate(fs.readFileSync(source, 'utf8'));

export async function renderReceiptPdf(s: CitizenSubmission, publicUrl: string): Promise<Buffer> {
  if (s.purgedAt) throw new AppError(410, 'closed', 'เรื่องนี้ปิดแล้ว ไม่มีใบรับเรื่อง (This matter is closed; its receipt is no longer kept.)');
  const t = await presentTracking(s);
  const html = renderTemplate(template, {
    trackingCode: formatTrackingCode(s.trackingCode), organisation: t.organisation.nameTh, subject: t.subject, name: s.name,
    submittedAtTh: t.submittedAtTh, statusTh: t.statusTh, statusEn: t.statusEn,
    registered: t.registered ? `${t.registered.number}/${t.registered.year} (${t.registered.atTh})` : null,
    trackUrl: `${publicUrl.replace(/\/$/, '')}/public/track`,
  }, () => undefined);
  return renderHtmlToPdf(html, { title: `ใบรับเรื่อง ${formatTrackingCode(s.trackingCode)}`, author: t.organisation.nameTh });
}

/**
 * The receipt goes with the "received" mail, drawn when the mail is sent. Without a renderer (503:
 * no Chromium, or busy) or for a request purged meanwhile, the mail goes without it and says where
 * the receipt is downloaded.
 */
export function attachReceiptsToMail(publicUrl: () => string): void {
  registerMailAttachment(
    RECEIPT_ATTACHMENT,
    async (ref) => {
      const s = await CitizenSubmission.findByPk(Number(ref));
      if (!s || s.purgedAt) throw new AppError(404, 'not_found', 'the request is gone');
      const pdf = await renderReceiptPdf(s, publicUrl());
      return {
        attachments: [{ filename: `receipt-${formatTrackingCode(s.trackingCode)}.pdf`, content: pdf, contentType: 'application/pdf' }],
        note: 'ใบรับเรื่อง (PDF) แนบมากับอีเมลนี้ / The receipt of your request (PDF) is attached.',
      };
    },
    () => {
      const track = `${publicUrl().replace(/\/$/, '')}/public/track`;
      return `ดาวน์โหลดใบรับเรื่อง (PDF) ได้ที่หน้าติดตามคำร้อง ${track}\nDownload the receipt of your request (PDF) from the tracking page: ${track}`;
    },
  );
}
