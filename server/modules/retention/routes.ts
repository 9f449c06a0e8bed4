// Keeping and destruction, as data: the yearly destruction list (บัญชีหนังสือขอทำลาย) of
// documents whose retention has run out, and the list of documents 20 years old for handover to
// the National Archives (บัญชีส่งมอบหนังสือครบ 20 ปี). Committee review, approval and the actual
// destruction belong to the destruction process (workflow runtime), not to this module.
import { Op, literal, Transaction } from 'sequelize';
import { stringify } from 'csv-stringify/sync';
import { DestructionItem, Document, ProcessInstance } from '../../db/models';
import { writeTransaction } from '../../lib/transaction';
import { Api } from '../../lib/route';
import { z } from '../../lib/openapi';
import { conflict, forbidden, unprocessable } from '../../lib/errors';
import { User } from '../../db/models';
import { activeDefinition } from '../workflow/definitions';
import { buddhistYear, thaiDateOnlyShort } from '../../lib/thai-date';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import { readableIds } from '../documents/policy';
import { SECRECY } from '../documents/labels';

const HANDOVER_AGE = 20;

const Item = z.object({
  order: z.number(), documentId: z.number(), letterNumber: z.string().nullable(), letterDate: z.string().nullable(), letterDateTh: z.string().nullable(),
  subject: z.string(), registerYear: z.number(), retentionYears: z.number().nullable(), remarks: z.string(),
}).openapi('RetentionListItem');

async function listFor(actor: Actor, kind: 'destruction' | 'handover', year: number) {
  const where = kind === 'destruction'
    ? { organisationId: actor.organisationId, registerYear: { [Op.ne]: null }, retentionYears: { [Op.ne]: null }, status: { [Op.notIn]: ['draft', 'destroyed'] }, [Op.and]: [literal(`registerYear + retentionYears <= ${Number(year)}`)] }
    : { organisationId: actor.organisationId, registerYear: { [Op.lte]: year - HANDOVER_AGE }, status: { [Op.notIn]: ['draft', 'destroyed'] }, [Op.or]: [{ retentionYears: null }, { retentionYears: { [Op.gt]: HANDOVER_AGE } }] };
  const docs = await Document.findAll({ where, order: [['registerYear', 'ASC'], ['registerNumber', 'ASC'], ['id', 'ASC']], limit: 100000 });
  const readableSet = await readableIds(actor, docs);
  const items = [];
  for (const d of docs) {
    const readable = readableSet.has(Number(d.id));
    items.push({
      order: items.length + 1, documentId: d.id, letterNumber: d.letterNumber ?? null, letterDate: d.letterDate ?? null, letterDateTh: d.letterDate ? thaiDateOnlyShort(d.letterDate) : null,
      subject: readable ? d.subject : `(${SECRECY[d.secrecy].th})`, registerYear: d.registerYear!, retentionYears: d.retentionYears ?? null,
      remarks: [d.secrecy !== 'normal' ? SECRECY[d.secrecy].th : '', kind === 'destruction' ? `เก็บครบ ${d.retentionYears} ปี` : 'ครบ 20 ปี'].filter(Boolean).join(' '),
    });
  }
  return items;
}

/** Documents of `documentIds` that a running destruction already holds. */
async function heldByRunningDestruction(documentIds: number[], t: Transaction) {
  const items = await DestructionItem.findAll({ where: { documentId: { [Op.in]: documentIds } }, transaction: t, lock: t.LOCK.UPDATE });
  if (!items.length) return [];
  const running = await ProcessInstance.findAll({ where: { id: { [Op.in]: [...new Set(items.map((i) => i.instanceId))] }, status: 'running' }, attributes: ['id'], transaction: t });
  const ids = new Set(running.map((r) => Number(r.id)));
  return items.filter((i) => ids.has(Number(i.instanceId))).map((i) => ({ documentId: Number(i.documentId), instanceId: Number(i.instanceId) }));
}

const assertRecordsManager = (actor: Actor) => {
  if (!actor.roles.has('registry_clerk') && !actor.roles.has('system_admin')) throw forbidden('Only a registry clerk or an administrator prepares these lists.');
};

/** The process key of processes/destruction.bpmn; it is started only from the approved list. */
export const DESTRUCTION_PROCESS = 'document_destruction';

const ApproveBody = z.object({
  year: z.number().int().min(2500).max(2700).openapi({ description: 'B.E. year of the destruction list' }),
  documentIds: z.array(z.number().int().positive()).min(1).max(10000).openapi({ description: 'Documents of that list to destroy' }),
  committee: z.object({
    chair: z.string().trim().min(1).max(64).openapi({ description: 'Username of the committee chair (ประธานกรรมการ)' }),
    members: z.array(z.string().trim().min(1).max(64)).max(50).openapi({ description: 'Usernames of the members (at least two)' }),
  }).strict(),
}).strict().openapi('DestructionApproval');

export function registerRetentionRoutes(api: Api<Actor>, ctx: AppContext): void {
  api.route({
    method: 'post', path: '/retention/destruction-list/approve', tag: 'Retention', status: 201,
    summary: 'Approve documents of the yearly destruction list: starts the destruction process (committee review, National Archives approval, destruction)',
    body: ApproveBody,
    response: z.object({ instanceId: z.number().int(), processKey: z.string(), documentIds: z.array(z.number().int()), committee: z.array(z.string()) }),
    handler: async ({ body, actor }) => {
      assertRecordsManager(actor);
      const thisYear = buddhistYear(new Date());
      if (body.year > thisYear) throw unprocessable(`The destruction list of ${body.year} cannot be approved before that year.`, [{ field: 'year', message: `must be ${thisYear} or earlier` }]);
      const committee = [body.committee.chair, ...body.committee.members];
      if (body.committee.members.length < 2) throw unprocessable('A destruction committee is a chair and at least two members.', [{ field: 'committee.members', message: 'needs at least two members' }]);
      if (new Set(committee).size !== committee.length) throw unprocessable('Each committee member can sit only once.', [{ field: 'committee', message: 'has the same person twice' }]);
      const users = await User.findAll({ where: { username: committee, organisationId: actor.organisationId }, attributes: ['id', 'username', 'active'] });
      const unknown = committee.filter((u) => !users.some((x) => x.username === u && x.active !== false));
      if (unknown.length) throw unprocessable('Committee members must be active users of your organisation.', unknown.map((u) => ({ field: 'committee', message: `${u} is not one` })));
      const listed = new Set((await listFor(actor, 'destruction', body.year)).map((i) => i.documentId));
      const documentIds = [...new Set(body.documentIds)];
      const outside = documentIds.filter((id) => !listed.has(id));
      if (outside.length) throw unprocessable(`Some documents are not on the destruction list of ${body.year}.`, outside.map((id) => ({ field: 'documentIds', message: `${id} is not on the list` })));
      // Destroying a letter is the last write into it: a secret one the approver may not read stays
      // on the list (its subject hidden) for one who may — its author, a named reader, the custodian.
      const listedDocs = await Document.findAll({ where: { id: { [Op.in]: documentIds } }, attributes: ['id', 'organisationId', 'secrecy', 'createdById'] });
      const readable = await readableIds(actor, listedDocs);
      const unreadable = documentIds.filter((id) => !readable.has(id));
      if (unreadable.length) {
        throw unprocessable('หนังสือลับที่ท่านไม่มีสิทธิ์อ่านขอทำลายไม่ได้ ให้ผู้มีสิทธิ์อ่าน (นายทะเบียนเอกสารลับ) ดำเนินการ (Secret letters you may not read are put to destruction by someone who may read them.)', unreadable.map((id) => ({ field: 'documentIds', message: `${id} is a secret letter you may not read` })));
      }
      const definition = await activeDefinition(actor.organisationId, DESTRUCTION_PROCESS);
      const own = actor.capacities.find((c) => c.capacity === 'self');
      const instance = await writeTransaction(ctx.db.sequelize, async (t) => {
        // The documents' rows order two approvals of the same documents: the second one waits
        // here, then sees the first one's items and is refused.
        await Document.findAll({ where: { id: { [Op.in]: documentIds } }, order: [['id', 'ASC']], attributes: ['id'], transaction: t, lock: t.LOCK.UPDATE });
        const held = await heldByRunningDestruction(documentIds, t);
        if (held.length) {
          throw conflict('Some documents are already in a destruction that is still running; wait for it to end (approved or objected to).', held.map((h) => ({ field: 'documentIds', message: `${h.documentId} is in destruction process ${h.instanceId}` })));
        }
        const started = await ctx.runtime.start({
          definition, organisationId: actor.organisationId, starter: { userId: actor.userId, positionId: own?.positionId ?? null, capacity: 'self' }, transaction: t,
          starterUsername: actor.user.username, variables: { year: body.year, documentIds, committee, committeeChair: body.committee.chair }, businessKey: `destruction-${body.year}`,
        });
        await DestructionItem.bulkCreate(documentIds.map((documentId) => ({ instanceId: started.instance.id, documentId })), { transaction: t });
        return started.instance;
      });
      return { instanceId: instance.id, processKey: DESTRUCTION_PROCESS, documentIds, committee };
    },
  });

  for (const kind of ['destruction', 'handover'] as const) {
    for (const format of ['json', 'csv'] as const) {
      api.route({
        method: 'get', path: `/retention/${kind}-list${format === 'csv' ? '.csv' : ''}`, tag: 'Retention',
        summary: kind === 'destruction' ? `Documents whose retention ends by the end of a B.E. year (destruction list)${format === 'csv' ? ', as CSV' : ''}` : `Documents 20 years old or more for the National Archives (handover list)${format === 'csv' ? ', as CSV' : ''}`,
        query: z.object({ year: z.coerce.number().int().min(2500).max(2700).openapi({ type: 'integer', description: 'B.E. year' }) }),
        ...(format === 'json' ? { response: z.object({ year: z.number(), items: z.array(Item) }) } : {}),
        handler: async ({ query, actor, res }) => {
          assertRecordsManager(actor);
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
