// Stock endorsement phrases (issue 17 item 7): the words an organisation's executives write most
// on a step's decision (ทราบ, เห็นชอบ, อนุมัติ, มอบ … ดำเนินการ, แจ้งเวียน …), kept per decision of
// the step's form (its `decision` choice ids: acknowledge, forward, assign, …). Every member reads
// the list of their organisation (the task view offers them as buttons that fill the endorsement,
// which stays editable); its administrators (and those above it) replace it as a whole.
import type { Transaction } from 'sequelize';
import { Api, orgIdParam } from '../../lib/route';
import { z } from '../../lib/openapi';
import { notFound, unprocessable } from '../../lib/errors';
import { writeTransaction } from '../../lib/transaction';
import { EndorsementPhrase, Organisation } from '../../db/models';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import { assertAdminister, assertRead } from '../org/policy';

/** Replaced by the name of the unit chosen for มอบหมาย when the phrase is picked. */
export const UNIT_PLACEHOLDER = '{หน่วยงาน}';

/** What a new organisation starts with; its administrators change it to their own usage. */
export const DEFAULT_PHRASES: ReadonlyArray<readonly [decision: string, text: string]> = [
  ['acknowledge', 'ทราบ'],
  ['acknowledge', 'ทราบ แจ้งเวียนให้ทราบทั่วกัน'],
  ['acknowledge', 'ทราบ เก็บเข้าแฟ้ม'],
  ['forward', 'เห็นชอบ เสนอเพื่อโปรดพิจารณา'],
  ['forward', 'เพื่อโปรดทราบ'],
  ['agree', 'เห็นชอบ'],
  ['approve', 'อนุมัติ'],
  ['approve', 'อนุมัติ ดำเนินการตามเสนอ'],
  ['proceed', 'ดำเนินการตามเสนอ'],
  ['assign', `มอบ ${UNIT_PLACEHOLDER} ดำเนินการ`],
  ['assign', `มอบ ${UNIT_PLACEHOLDER} พิจารณาดำเนินการ แล้วรายงานผล`],
  ['assign', `มอบ ${UNIT_PLACEHOLDER} แจ้งเวียนผู้เกี่ยวข้อง`],
  ['return', 'ส่งคืนเพื่อแก้ไข'],
  ['return', 'ขอข้อมูลเพิ่มเติมประกอบการพิจารณา'],
  ['revise', 'แก้ไขตามที่ทักท้วง'],
  ['sign', 'เห็นชอบ ลงนามแล้ว'],
];

/** The most phrases one organisation keeps: enough for every decision, few enough to show as buttons. */
const MAX_PHRASES = 100;

const DecisionKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, { message: 'a decision choice id of a step form (letters, digits, _ or -), e.g. acknowledge' });
const PhraseText = z.string().trim().min(1).max(300);

const Phrase = z.object({ id: z.number().int(), decision: z.string(), text: z.string() }).openapi('EndorsementPhrase');
const PhraseList = z.object({ items: z.array(Phrase) });
const PhraseReplacement = z.object({
  items: z.array(z.object({ decision: DecisionKey, text: PhraseText }).strict()).max(MAX_PHRASES),
}).strict();

const present = (p: EndorsementPhrase) => ({ id: p.id, decision: p.decision, text: p.text });

/** The organisation must exist (404) before whether the actor may see it is asked (403). */
async function assertOrganisation(organisationId: number): Promise<void> {
  if (!(await Organisation.findByPk(organisationId, { attributes: ['id'] }))) throw notFound('Organisation');
}

const listOf = (organisationId: number, transaction?: Transaction) =>
  EndorsementPhrase.findAll({ where: { organisationId }, order: [['position', 'ASC'], ['id', 'ASC']], transaction });

/** Gives each organisation that has no phrases the defaults (a new one; one that existed before them). */
export async function giveDefaultPhrases(organisationIds: number[], transaction: Transaction): Promise<void> {
  if (!organisationIds.length) return;
  const have = new Set((await EndorsementPhrase.findAll({ attributes: ['organisationId'], where: { organisationId: organisationIds }, group: ['organisationId'], transaction })).map((p) => p.organisationId));
  const rows = organisationIds.filter((id) => !have.has(id)).flatMap((organisationId) => DEFAULT_PHRASES.map(([decision, text], position) => ({ organisationId, decision, text, position })));
  if (rows.length) await EndorsementPhrase.bulkCreate(rows, { transaction });
}

export function registerPhraseRoutes(api: Api<Actor>, ctx: AppContext): void {
  const path = '/organisations/:orgId/endorsement-phrases';

  api.route({
    method: 'get', path, tag: 'Tasks', summary: "The organisation's stock endorsement phrases, per decision, in order (its members and administrators)",
    params: orgIdParam, response: PhraseList,
    handler: async ({ params, actor }) => {
      await assertOrganisation(params.orgId);
      await assertRead(actor, params.orgId);
      return { items: (await listOf(params.orgId)).map(present) };
    },
  });

  api.route({
    method: 'put', path, tag: 'Tasks', summary: "Replace the organisation's stock endorsement phrases (its administrators); the order given is the order shown",
    description: `Each phrase belongs to one decision choice of a step's form (acknowledge, forward, assign, …). ${UNIT_PLACEHOLDER} in a phrase stands for the unit chosen for มอบหมาย. The same phrase twice under one decision is refused with 422.`,
    params: orgIdParam, body: PhraseReplacement, response: PhraseList,
    handler: async ({ params, body, actor }) => {
      await assertOrganisation(params.orgId);
      await assertAdminister(actor, params.orgId);
      const seen = new Map<string, number>();
      const repeated = body.items.flatMap((p, i) => {
        const key = `${p.decision}\u0000${p.text}`;
        const first = seen.get(key);
        seen.set(key, first ?? i);
        return first === undefined ? [] : [{ field: `items.${i}.text`, message: `ซ้ำกับข้อความลำดับที่ ${first + 1} — the same phrase as item ${first + 1} under this decision` }];
      });
      if (repeated.length) throw unprocessable('The same phrase is given twice under one decision.', repeated);
      const rows = await writeTransaction(ctx.db.sequelize, async (transaction) => {
        await EndorsementPhrase.destroy({ where: { organisationId: params.orgId }, transaction });
        await EndorsementPhrase.bulkCreate(body.items.map((p, position) => ({ organisationId: params.orgId, decision: p.decision, text: p.text, position })), { transaction });
        return listOf(params.orgId, transaction);
      });
      return { items: rows.map(present) };
    },
  });
}
