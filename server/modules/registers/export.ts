// A register for one B.E. year as a document: CSV (UTF-8 with BOM, so spreadsheet programs read
// Thai) and a printable HTML page, both with the regulation's columns and Thai dates.
//
// The CSV is streamed in batches of entries (a busy registry's year is tens of thousands of lines):
// each batch is read, turned into rows and written before the next is read, so memory stays bounded
// and no single step holds the event loop (one synchronous stringify of 20,000 rows took 0.6–0.9 s).
// No letter's body is read: the register shows its subject and particulars only.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Op } from 'sequelize';
import { stringify } from 'csv-stringify';
import { Document, Endorsement, Organisation, Register, RegisterEntry, Unit } from '../../db/models';
import { thaiDateFull, thaiDateOnlyFull, thaiDateOnlyShort, thaiDateShort, thaiTime } from '../../lib/thai-date';
import type { Actor } from '../auth/actor';
import { readableIds } from '../documents/policy';
import { DECISION_TH, ENTRY_DIRECTION_TH, REGISTER_KIND_TH, SECRECY } from '../documents/labels';

export interface RegisterRow {
  number: number;
  registeredDate: string;
  registeredTime: string;
  letterNumber: string;
  letterDate: string;
  from: string;
  to: string;
  subject: string;
  action: string;
  remarks: string;
  /** รับ or ส่ง: a column of the secret register, which keeps both ways in one series. */
  direction: string;
  /** ลับ, ลับมาก, or empty: a column of the secret register. */
  secrecy: string;
}

/** A column: its heading and the row field it shows. */
export type Column = [heading: string, field: keyof RegisterRow];
const LETTER_COLUMNS: Column[] = [['ที่', 'letterNumber'], ['ลงวันที่', 'letterDate'], ['จาก', 'from'], ['ถึง', 'to'], ['เรื่อง', 'subject'], ['การปฏิบัติ', 'action'], ['หมายเหตุ', 'remarks']];
const COLUMNS: Record<'incoming' | 'other' | 'secret', Column[]> = {
  incoming: [['เลขทะเบียนรับ', 'number'], ['วันที่รับ', 'registeredDate'], ['เวลา', 'registeredTime'], ...LETTER_COLUMNS],
  other: [['เลขทะเบียนส่ง', 'number'], ['วันที่ลงทะเบียน', 'registeredDate'], ['เวลา', 'registeredTime'], ...LETTER_COLUMNS],
  // Columns of the secret register to verify against the secrets regulation's form (B.E. 2544).
  secret: [['เลขทะเบียน', 'number'], ['รับ/ส่ง', 'direction'], ['วันที่ลงทะเบียน', 'registeredDate'], ['เวลา', 'registeredTime'], ['ชั้นความลับ', 'secrecy'], ...LETTER_COLUMNS],
};
const columnsOf = (kind: Register['kind']) => COLUMNS[kind === 'incoming' || kind === 'secret' ? kind : 'other'];

/** The order a decision gave, as the register's การปฏิบัติ column writes it: the decision and its words (ทราบ — ให้กองกลางดำเนินการ). */
function actionOf(decision: Endorsement): string {
  const label = decision.decision === 'assign' && decision.assignTo ? `มอบ ${decision.assignTo}` : DECISION_TH[decision.decision!];
  const words = decision.text?.trim().replace(/\s+/g, ' ') ?? '';
  return !words || words === label ? label : words.startsWith(label) ? words : `${label} — ${words}`;
}

/**
 * The rows of a register's year (or of the given page of its entries, in order), with the documents
 * they show. `dates`: the book (export, print) writes dates in full (14 กุมภาพันธ์ 2568); a list on
 * screen writes them short (14 ก.พ. 68).
 */
export async function registerRows(actor: Actor, reg: Register, year: number, page?: RegisterEntry[], dates: 'full' | 'short' = 'full'): Promise<{ title: string; columns: Column[]; rows: RegisterRow[]; secretDocs: Document[]; docs: Map<number, Document> }> {
  const entries = page ?? (await RegisterEntry.findAll({ where: { registerId: reg.id, year }, order: [['number', 'ASC']] }));
  const docIds = entries.map((e) => e.documentId).filter((x): x is number => x != null);
  // Not the body (up to 200,000 characters a letter): the register shows none of it.
  const docs = new Map((await Document.findAll({ where: { id: docIds }, attributes: { exclude: ['body'] } })).map((d) => [d.id, d]));
  const lastDecision = new Map<number, Endorsement>();
  for (const e of await Endorsement.findAll({ where: { documentId: docIds }, order: [['seq', 'ASC']] })) if (e.decision) lastDecision.set(e.documentId, e);
  const org = await Organisation.findByPk(reg.organisationId);
  const unit = reg.unitId ? await Unit.findByPk(reg.unitId) : null;
  const owner = unit?.nameTh ?? org?.nameTh ?? '';
  const readableSet = await readableIds(actor, [...docs.values()]);
  const secretDocs: Document[] = [];
  const rows: RegisterRow[] = [];
  for (const e of entries) {
    const found = e.documentId ? docs.get(e.documentId) : undefined;
    const readable = found ? readableSet.has(Number(found.id)) : true;
    if (found && readable && found.secrecy !== 'normal') secretDocs.push(found);
    // A secret letter numbered in an ordinary book before the secret register existed keeps its
    // line (and number); to whoever may not read it the line says only that it is secret.
    const d = readable ? found : undefined;
    const secrecy = found && found.secrecy !== 'normal' ? SECRECY[found.secrecy].th : '';
    const decision = d ? lastDecision.get(d.id) : undefined;
    const remarks = [
      e.status === 'voided' ? `ยกเลิกเลข${e.voidReason ? `: ${e.voidReason}` : ''}` : '',
      e.status === 'reserved' ? `จองเลข${e.note ? `: ${e.note}` : ''}` : '',
      reg.kind === 'secret' ? '' : secrecy,
    ].filter(Boolean).join(' ');
    rows.push({
      number: e.number,
      registeredDate: dates === 'full' ? thaiDateFull(e.registeredAt) : thaiDateShort(e.registeredAt),
      registeredTime: thaiTime(e.registeredAt),
      letterNumber: found && !d ? '' : e.letterNumber ?? d?.letterNumber ?? '',
      letterDate: d?.letterDate ? (dates === 'full' ? thaiDateOnlyFull(d.letterDate) : thaiDateOnlyShort(d.letterDate)) : '',
      from: d ? (e.direction === 'incoming' ? d.senderName ?? '' : owner) : '',
      to: d ? (e.direction === 'incoming' ? d.addressee ?? owner : d.addressee ?? '') : '',
      subject: d ? d.subject : found ? `(${secrecy})` : '',
      action: decision ? actionOf(decision) : '',
      remarks,
      direction: ENTRY_DIRECTION_TH[e.direction],
      secrecy,
    });
  }
  return { title: `${reg.nameTh} พ.ศ. ${year}`, columns: columnsOf(reg.kind), rows, secretDocs, docs };
}

/** Cells that a spreadsheet would run as a formula are prefixed, so the file is only data. */
const safe = (v: string | number) => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

const cells = (columns: Column[], r: RegisterRow) => columns.map(([, field]) => r[field]);

/** Entries read, turned into rows and written per step of the CSV stream. */
export const CSV_BATCH = 250;

/**
 * Streams a register's year as CSV into `out` (an HTTP response), CSV_BATCH entries at a time.
 * `start` runs once the first batch is ready (the caller sets its headers there: an error before it
 * is still an ordinary error answer); `shown` is told each batch's readable secret letters before
 * the batch is written (their reads are logged). Resolves when everything was handed to `out`.
 */
export async function streamCsv(
  actor: Actor, reg: Register, year: number, out: Writable,
  hooks: { start?: () => void; shown?: (secretDocs: Document[]) => Promise<void>; batch?: number } = {},
): Promise<void> {
  const batch = hooks.batch ?? CSV_BATCH;
  const columns = columnsOf(reg.kind);
  const csv = stringify();
  let started = false;
  let failed: Error | null = null;
  // Settles when the response is done: finished, or closed early (the client went away) or failed.
  const done = new Promise<void>((resolve) => {
    const fail = (err: Error) => {
      failed ??= err;
      resolve();
    };
    csv.on('error', fail);
    out.on('error', fail);
    out.on('finish', () => resolve());
    out.on('close', () => (out.writableFinished ? resolve() : fail(new Error('The download was broken off.'))));
  });
  const write = async (record: Array<string | number>) => {
    if (failed) throw failed;
    if (!csv.write(record)) await Promise.race([once(csv, 'drain'), done]);
  };
  try {
    let after = 0;
    for (;;) {
      const entries = await RegisterEntry.findAll({ where: { registerId: reg.id, year, number: { [Op.gt]: after } }, order: [['number', 'ASC']], limit: batch });
      if (!started) {
        hooks.start?.();
        out.write('\uFEFF');
        csv.pipe(out);
        started = true;
        await write(columns.map(([heading]) => heading));
      }
      if (!entries.length) break;
      const { rows, secretDocs } = await registerRows(actor, reg, year, entries);
      await hooks.shown?.(secretDocs);
      for (const r of rows) await write(cells(columns, r).map(safe));
      after = entries[entries.length - 1].number;
      if (entries.length < batch) break;
    }
    csv.end();
    await done;
    if (failed) throw failed;
  } catch (err) {
    csv.destroy();
    if (started) out.destroy(err as Error); // the headers are gone: the download breaks off
    throw err;
  }
}

const esc = (s: string | number) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function toHtml(title: string, kind: string, columns: Column[], rows: RegisterRow[]): string {
  const body = rows
    .map((r) => `<tr${r.remarks.startsWith('ยกเลิก') ? ' class="void"' : ''}>${cells(columns, r).map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="th"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
@page { size: A4 landscape; margin: 12mm; }
body { font-family: 'TH Sarabun New', 'TH SarabunPSK', 'Laksaman', 'Sarabun', serif; font-size: 16pt; }
h1 { font-size: 20pt; text-align: center; margin: 0 0 8px; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #000; padding: 2px 4px; vertical-align: top; }
th { background: #eee; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
tr.void td { text-decoration: line-through; color: #555; }
tr.void td:last-child { text-decoration: none; }
</style></head>
<body>
<h1>${esc(title)}</h1>
<p class="kind">${esc(REGISTER_KIND_TH[kind as keyof typeof REGISTER_KIND_TH] ?? kind)} · ${rows.length} รายการ</p>
<table><thead><tr>${columns.map(([heading]) => `<th>${esc(heading)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody></table>
</body></html>
`;
}
