// Keeping and destruction, as data: the yearly destruction list (บัญชีหนังสือขอทำลาย) of
// documents whose retention has run out, and the list of documents 20 years old for handover to
// the National Archives (บัญชีส่งมอบหนังสือครบ 20 ปี). Committee review, approval and the actual
// destruction belong to the destruction process (workflow runtime), not to this module.
import { Op, literal } from 'sequelize';
import { stringify } from 'csv-stringify/sync';
import { Document } from '../../db/models';
import { Api } from '../../lib/route';
import { z } from '../../lib/openapi';
import { forbidden } from '../../lib/errors';
import { thaiDateOnlyShort } from '../../lib/thai-date';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import { canRead } from '../documents/policy';
import { SECRECY } from '../documents/labels';

const HANDOVER_AGE = 20;

const Item = z.object({
  order: z.number(), documentId: z.number(), letterNumber: z.string().nullable(), letterDate: z.string().nullable(), letterDateTh: z.string().nullable(),
  subject: z.string(), registerYear: z.number(), retentionYears: z.number().nullable(), remarks: z.string(),
}).openapi('RetentionListItem');

async function listFor(actor: Actor, kind: 'destruction' | 'handover', year: number) {
  const where = kind === 'destruction'
    ? { organisationId: actor.organisationId, registerYear: { [Op.ne]: null }, retentionYears: { [Op.ne]: null }, status: { [Op.ne]: 'draft' }, [Op.and]: [literal(`registerYear + retentionYears <= ${Number(year)}`)] }
    : { organisationId: actor.organisationId, registerYear: { [Op.lte]: year - HANDOVER_AGE }, status: { [Op.ne]: 'draft' }, [Op.or]: [{ retentionYears: null }, { retentionYears: { [Op.gt]: HANDOVER_AGE } }] };
  const docs = await Document.findAll({ where, order: [['registerYear', 'ASC'], ['registerNumber', 'ASC'], ['id', 'ASC']], limit: 100000 });
  const items = [];
  for (const d of docs) {
    const readable = await canRead(actor, d);
    items.push({
      order: items.length + 1, documentId: d.id, letterNumber: d.letterNumber ?? null, letterDate: d.letterDate ?? null, letterDateTh: d.letterDate ? thaiDateOnlyShort(d.letterDate) : null,
      subject: readable ? d.subject : `(${SECRECY[d.secrecy].th})`, registerYear: d.registerYear!, retentionYears: d.retentionYears ?? null,
      remarks: [d.secrecy !== 'normal' ? SECRECY[d.secrecy].th : '', kind === 'destruction' ? `เก็บครบ ${d.retentionYears} ปี` : 'ครบ 20 ปี'].filter(Boolean).join(' '),
    });
  }
  return items;
}

export function registerRetentionRoutes(api: Api<Actor>, ctx: AppContext): void {
  void ctx;
  for (const kind of ['destruction', 'handover'] as const) {
    for (const format of ['json', 'csv'] as const) {
      api.route({
        method: 'get', path: `/retention/${kind}-list${format === 'csv' ? '.csv' : ''}`, tag: 'Retention',
        summary: kind === 'destruction' ? `Documents whose retention ends by the end of a B.E. year (destruction list)${format === 'csv' ? ', as CSV' : ''}` : `Documents 20 years old or more for the National Archives (handover list)${format === 'csv' ? ', as CSV' : ''}`,
        query: z.object({ year: z.coerce.number().int().min(2500).max(2700).openapi({ type: 'integer', description: 'B.E. year' }) }),
        ...(format === 'json' ? { response: z.object({ year: z.number(), items: z.array(Item) }) } : {}),
        handler: async ({ query, actor, res }) => {
          if (!actor.roles.has('registry_clerk') && !actor.roles.has('system_admin')) throw forbidden('Only a registry clerk or an administrator prepares these lists.');
          const items = await listFor(actor, kind, query.year);
          if (format === 'json') return { year: query.year, items };
          const header = kind === 'destruction' ? ['ลำดับที่', 'ที่', 'ลงวันที่', 'เรื่อง', 'ปีทะเบียน', 'อายุการเก็บ (ปี)', 'การพิจารณา', 'หมายเหตุ'] : ['ลำดับที่', 'ที่', 'ลงวันที่', 'เรื่อง', 'ปีทะเบียน', 'หมายเหตุ'];
          const rows = items.map((i) => (kind === 'destruction' ? [i.order, i.letterNumber ?? '', i.letterDateTh ?? '', i.subject, i.registerYear, i.retentionYears ?? '', '', i.remarks] : [i.order, i.letterNumber ?? '', i.letterDateTh ?? '', i.subject, i.registerYear, i.remarks]));
          res.setHeader('Content-Type', 'text/csv; charset=utf-8');
          res.setHeader('Content-Disposition', `attachment; filename="${kind}-list-${query.year}.csv"`);
          res.send(`\uFEFF${stringify([header, ...rows])}`);
          return undefined;
        },
      });
    }
  }
}
