// Who performs a user task. Designers write, in candidateGroups / candidateUsers / assignee:
//   registry_clerk | group:<key>     a group or role of the instance's organisation
//   unit:<id>                        everyone in a unit
//   position:<id>                    whoever holds the position, or acts for it (delegation)
//   supervisor                       the position above the previous performer's (the chain of command)
//   initiator                        the user who started the instance
//   user:<username|id> | <username>  one person (in candidateUsers and assignee)
// or an expression giving any of these (e.g. ${'unit:' + unit}).
import { QueryTypes, Transaction } from 'sequelize';
import { Group, Position, Unit, User, CandidateKind } from '../../db/models';
import { subtreeOf } from '../org/policy';
import { unprocessable } from '../../lib/errors';
import { expressionsIn } from './expressions';

export type PerformerToken =
  | { kind: 'group'; key: string }
  | { kind: 'unit' | 'position' | 'userId'; id: number }
  | { kind: 'username'; username: string }
  | { kind: 'supervisor' | 'initiator' };

export function parsePerformers(value: unknown, defaultKind: 'user' | 'group', lenient = false): PerformerToken[] {
  if (value == null || value === '') return [];
  if (lenient && typeof value === 'string' && expressionsIn(value).length) return [];
  const raw = Array.isArray(value) ? value.map(String) : String(value).split(',');
  const tokens: PerformerToken[] = [];
  for (const part of raw.map((s) => s.trim()).filter(Boolean)) {
    const m = /^(group|unit|position|user):(.+)$/.exec(part);
    if (part === 'supervisor' || part === 'initiator') tokens.push({ kind: part });
    else if (m && (m[1] === 'unit' || m[1] === 'position')) {
      if (!/^\d+$/.test(m[2])) throw new Error(`"${part}": ${m[1]} needs a numeric id.`);
      tokens.push({ kind: m[1], id: Number(m[2]) });
    } else if (m && m[1] === 'group') tokens.push({ kind: 'group', key: m[2] });
    else if (m && m[1] === 'user') tokens.push(/^\d+$/.test(m[2]) ? { kind: 'userId', id: Number(m[2]) } : { kind: 'username', username: m[2] });
    else if (/^\d+$/.test(part) && defaultKind === 'user') tokens.push({ kind: 'userId', id: Number(part) });
    else if (/^[a-z0-9][a-z0-9._-]*$/i.test(part)) tokens.push(defaultKind === 'user' ? { kind: 'username', username: part.toLowerCase() } : { kind: 'group', key: part });
    else throw new Error(`"${part}" is not a performer (use a group key, unit:<id>, position:<id>, user:<username>, supervisor or initiator).`);
  }
  return tokens;
}

export interface PerformerContext {
  organisationId: number;
  organisationIds: number[]; // the instance's organisation and its ancestors, nearest first
  initiatorUserId: number | null;
  lastPerformerPositionId: number | null;
  elementId: string;
  /** The step's name, for messages a person reads. */
  elementName?: string;
  /** The variable the performer expression used (e.g. assignUnitId), for a message next to its field. */
  field?: string;
  /** Group ids by key already found for this instance (groups are looked up once per hydrated engine). */
  groupIds?: Map<string, number>;
}

export interface Candidate {
  kind: CandidateKind;
  refId: number;
}

const fail = (ctx: PerformerContext, message: string, th?: string) => {
  const step = ctx.elementName ?? ctx.elementId;
  const text = th ? `ขั้นตอนถัดไป "${step}" ไม่มีผู้ปฏิบัติ: ${th} — The next step "${step}" has no performer: ${message}` : `The next step "${step}" has no performer: ${message}`;
  return unprocessable(text, [{ elementId: ctx.elementId, ...(ctx.field ? { field: ctx.field } : {}), message: th ? `${th} — ${message}` : message }]);
};

const THAI_KIND = { unit: 'หน่วยงาน', position: 'ตำแหน่ง' } as const;

/**
 * The performers an evaluated value names, resolved: what a decision's variable named (a unit picked
 * for มอบหมาย) being empty, not a number or out of the organisation is the submitter's 422 with a
 * Thai message, never a 500. `field` names the form variable the expression used, so the client
 * shows the message next to it.
 */
export async function performersOf(value: unknown, defaultKind: 'user' | 'group', ctx: PerformerContext, transaction?: Transaction): Promise<Candidate[]> {
  let tokens: PerformerToken[];
  try {
    tokens = parsePerformers(value, defaultKind);
  } catch (err) {
    const m = /^"(unit|position):(.*)"/.exec((err as Error).message);
    if (m) {
      const kind = THAI_KIND[m[1] as 'unit' | 'position'];
      const blank = ['', 'undefined', 'null', 'NaN'].includes(m[2].trim());
      throw fail(ctx, (err as Error).message, blank ? `ยังไม่ได้เลือก${kind}` : `"${m[2]}" ไม่ใช่${kind}ที่มีในระบบ (ต้องเป็นรหัส${kind})`);
    }
    throw fail(ctx, (err as Error).message, 'ค่าที่ระบุไม่ใช่ผู้ปฏิบัติที่ระบบรู้จัก');
  }
  return resolvePerformers(tokens, ctx, transaction);
}

export async function resolvePerformers(tokens: PerformerToken[], ctx: PerformerContext, transaction?: Transaction): Promise<Candidate[]> {
  const out: Candidate[] = [];
  // A step goes to people of the instance's own line of organisations only: its organisation, those
  // above it (the chain of command may reach them) and those below it. Never to another ministry
  // or a sibling office, whatever a variable names: the task would show them the letter's subject.
  let line: Set<number> | null = null;
  const inLine = async (organisationId: number) => (line ??= new Set([...ctx.organisationIds, ...(await subtreeOf(ctx.organisationId, transaction))])).has(organisationId);
  for (const t of tokens) {
    switch (t.kind) {
      case 'group': {
        const known = ctx.groupIds?.get(t.key);
        if (known) {
          out.push({ kind: 'group', refId: known });
          break;
        }
        // Written out: it runs for every new task (Model.findAll costs about 0.3 ms more CPU).
        const groups = await Group.sequelize!.query<{ id: number; organisationId: number }>('SELECT id, organisationId FROM `groups` WHERE `key` = :key AND organisationId IN (:ids)', {
          replacements: { key: t.key, ids: ctx.organisationIds }, type: QueryTypes.SELECT, transaction,
        });
        const nearest = ctx.organisationIds.map((id) => groups.find((g) => Number(g.organisationId) === id)).find(Boolean);
        if (!nearest) throw fail(ctx, `no group "${t.key}" in this organisation.`, `ไม่มีกลุ่ม "${t.key}" ในส่วนราชการนี้`);
        ctx.groupIds?.set(t.key, Number(nearest.id));
        out.push({ kind: 'group', refId: Number(nearest.id) });
        break;
      }
      case 'unit': {
        const unit = await Unit.findByPk(t.id, { attributes: ['id', 'organisationId'], transaction });
        if (!unit || !(await inLine(unit.organisationId))) throw fail(ctx, `unit ${t.id} does not exist in this organisation.`, `ไม่มีหน่วยงานรหัส ${t.id} ในส่วนราชการนี้`);
        out.push({ kind: 'unit', refId: t.id });
        break;
      }
      case 'position': {
        const position = await Position.findByPk(t.id, { attributes: ['id', 'organisationId'], transaction });
        if (!position || !(await inLine(position.organisationId))) throw fail(ctx, `position ${t.id} does not exist in this organisation.`, `ไม่มีตำแหน่งรหัส ${t.id} ในส่วนราชการนี้`);
        out.push({ kind: 'position', refId: t.id });
        break;
      }
      case 'userId':
      case 'username': {
        const user = 'id' in t ? await User.findByPk(t.id, { transaction }) : await User.findOne({ where: { username: t.username }, transaction });
        if (!user || !user.active || !(await inLine(user.organisationId))) throw fail(ctx, `user ${'id' in t ? t.id : t.username} does not exist in this organisation or is disabled.`, `ไม่มีผู้ใช้ ${'id' in t ? t.id : t.username} ในส่วนราชการนี้ หรือถูกระงับการใช้งาน`);
        out.push({ kind: 'user', refId: user.id });
        break;
      }
      case 'initiator':
        if (!ctx.initiatorUserId) throw fail(ctx, 'the instance has no initiator.', 'ไม่ทราบผู้เริ่มเรื่อง');
        out.push({ kind: 'user', refId: ctx.initiatorUserId });
        break;
      case 'supervisor': {
        if (!ctx.lastPerformerPositionId) throw fail(ctx, 'the previous performer holds no position, so there is no supervisor.', 'ผู้ปฏิบัติก่อนหน้าไม่มีตำแหน่ง จึงไม่มีผู้บังคับบัญชา');
        const position = await Position.findByPk(ctx.lastPerformerPositionId, { transaction });
        // At the top of the chain the step stays with the top position.
        out.push({ kind: 'position', refId: position?.reportsToId ?? ctx.lastPerformerPositionId });
        break;
      }
    }
  }
  const seen = new Set<string>();
  return out.filter((c) => !seen.has(`${c.kind}:${c.refId}`) && seen.add(`${c.kind}:${c.refId}`));
}

/**
 * The groups named by key (or id) as seen from an organisation: the nearest of its line upwards that
 * has that key, as a task's candidateGroups are resolved; an id only when the group is of that line.
 * Names that are no such group are left out.
 */
export async function groupsOfLine(names: string[], organisationIds: number[], transaction?: Transaction): Promise<number[]> {
  if (!names.length) return [];
  const ids = names.filter((n) => /^\d+$/.test(n)).map(Number);
  const keys = names.filter((n) => !/^\d+$/.test(n));
  const rows = await Group.sequelize!.query<{ id: number; key: string; organisationId: number }>(
    `SELECT id, \`key\`, organisationId FROM \`groups\` WHERE organisationId IN (:orgs) AND (${keys.length ? '`key` IN (:keys)' : '1 = 0'}${ids.length ? ' OR id IN (:ids)' : ''})`,
    { replacements: { orgs: organisationIds, keys, ids }, type: QueryTypes.SELECT, transaction },
  );
  const out = new Set<number>();
  for (const key of keys) {
    const nearest = organisationIds.map((org) => rows.find((g) => g.key === key && Number(g.organisationId) === org)).find(Boolean);
    if (nearest) out.add(Number(nearest.id));
  }
  for (const id of ids) if (rows.some((g) => Number(g.id) === id)) out.add(id);
  return [...out];
}
