// The PDF receipt (ใบรับเรื่อง) of a citizen's request, drawn by the letters' renderer (one PDF
// engine in the product) from receipt.html. Drawn on demand for whoever opens the request with its
// tracking code and second detail, so it always shows the current status and nothing is stored.
import fs from 'node:fs';
import path from 'node:path';
import { parseTemplate, renderTemplate } from '../letters/template';
import { renderHtmlToPdf } from '../letters/render';
import { formatTrackingCode } from './identity';
import type { CitizenSubmission } from '../../db/models';
import { presentTracking } from './service';

const source = path.resolve(__dirname.includes(`${path.sep}dist${path.sep}`) ? path.resolve(__dirname, '..', '..', '..', '..', 'server', 'modules', 'citizens') : __dirname, 'receipt.html');
const template = parseTemplate(fs.readFileSync(source, 'utf8'));

export async function renderReceiptPdf(s: CitizenSubmission, publicUrl: string): Promise<Buffer> {
  const t = await presentTracking(s);
  const html = renderTemplate(template, {
    trackingCode: formatTrackingCode(s.trackingCode), organisation: t.organisation.nameTh, subject: t.subject, name: s.name,
    submittedAtTh: t.submittedAtTh, statusTh: t.statusTh, statusEn: t.statusEn,
    registered: t.registered ? `${t.registered.number}/${t.registered.year} (${t.registered.atTh})` : null,
    trackUrl: `${publicUrl.replace(/\/$/, '')}/public/track`,
  }, () => undefined);
  return renderHtmlToPdf(html, { title: `ใบรับเรื่อง ${formatTrackingCode(s.trackingCode)}`, author: t.organisation.nameTh });
}
