// The public verification page /verify/<code> (no sign-in), where a letter's QR code leads: the
// file's fingerprint, its signers, times and status — never the letter's subject or text, so a
// secret letter's QR code gives nothing of it away.
import type { Express } from 'express';
import { thaiDateFull, thaiTime } from '../../lib/thai-date';
import { publicRecord } from './service';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const when = (iso: string | null) => (iso ? `${thaiDateFull(new Date(iso))} ${thaiTime(new Date(iso))}` : '—');

function page(title: string, body: string): string {
  return `<!doctype html><html lang="th"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)}</title><style>
body{font-family:'Sarabun','Laksaman',sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#1a1a1a}
.ok{color:#146c2e}.bad{color:#b3261e}code{word-break:break-all;font-size:.85rem}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}small{color:#555}</style></head><body>${body}</body></html>`;
}

export function registerVerifyPage(app: Express): void {
  app.get('/verify/:code', async (req, res, next) => {
    try {
      const code = String(req.params.code).toUpperCase();
      const record = /^[0-9A-Z]{6,32}$/.test(code) ? await publicRecord(code) : null;
      res.set('cache-control', 'no-store');
      if (!record) {
        res.status(404).type('html').send(page('ไม่พบรหัสตรวจสอบ', `<h1 class="bad">ไม่พบรหัสตรวจสอบนี้</h1><p>Verification code not found: <code>${esc(code)}</code></p>`));
        return;
      }
      const rows = record.signers.map((s) => `<tr><td>${esc(s.name ?? '')}<br><small>${esc(s.position ?? '')} ${esc(s.organisation ?? '')}</small></td>
<td>${when(s.timestampAt ?? s.signedAt)}<br><small>${s.timestampAt ? 'เวลาจากผู้ให้บริการประทับรับรองเวลา (RFC 3161)' : 'เวลาของระบบ'}</small></td>
<td class="${s.status === 'valid' ? 'ok' : 'bad'}">${s.status === 'valid' ? 'ใช้ได้' : 'ใช้ไม่ได้'}${s.certificateRevokedAt ? `<br><small>ใบรับรองถูกเพิกถอนเมื่อ ${when(s.certificateRevokedAt)}${s.status === 'valid' ? ' (หลังการลงนาม · revoked after signing)' : ''}</small>` : ''}</td></tr>`).join('');
      res.status(200).type('html').send(page(`ตรวจสอบลายมือชื่อ ${code}`, `<h1>ตรวจสอบลายมือชื่ออิเล็กทรอนิกส์</h1>
<p class="${record.status === 'valid' ? 'ok' : 'bad'}"><strong>${record.status === 'valid' ? 'ลายมือชื่อทุกรายการใช้ได้' : 'มีใบรับรองที่ถูกเพิกถอน'}</strong> · ${record.status === 'valid' ? 'All signatures valid' : 'A certificate has been revoked'}</p>
<p>รหัสตรวจสอบ (code): <code>${esc(record.code)}</code><br>ลายนิ้วมือของไฟล์ล่าสุด SHA-256 (fingerprint of the latest signed file):<br><code>${record.sha256}</code></p>
<table><thead><tr><th>ผู้ลงนาม (signer)</th><th>เวลา (time)</th><th>สถานะ (status)</th></tr></thead><tbody>${rows}</tbody></table>
<p><small>เทียบลายนิ้วมือกับไฟล์ที่ได้รับ หรือส่งไฟล์ให้ระบบตรวจสอบ (POST /api/signatures/verify). Compare the fingerprint with your file, or have the system check the file.</small></p>`));
    } catch (err) {
      next(err);
    }
  });
}
