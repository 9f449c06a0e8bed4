// Letters and processes: a registered incoming letter starts the organisation's routing process
// in the same transaction, and a letter shows where it is now and who holds it.
import { Op, Transaction } from 'sequelize';
import { Document, Group, HistoryEntry, Position, ProcessInstance, Task, TaskCandidate, Unit, User } from '../../db/models';
import { conflict, notFound, unprocessable } from '../../lib/errors';
import { subtreeOf } from '../org/policy';
import type { Actor } from '../auth/actor';
import type { WorkflowRuntime } from './runtime';
import { activeDefinition, activitiesOf, activitiesOfEach, ActivityInfo } from './definitions';
import { URGENCY } from '../documents/labels';
import { isSecret } from '../documents/policy';

export const INCOMING_ROUTING_KEY = 'incoming_letter';
export const CIRCULAR_KEY = 'circular_letter';

/** What a process sees of a letter. A secret letter's subject stays out of task titles and events. */
export function documentVariables(doc: Document) {
  const secret = isSecret(doc);
  return {
    id: Number(doc.id), type: doc.type, urgency: URGENCY[doc.urgency]?.level ?? 1, secrecy: doc.secrecy,
    subject: secret ? 'หนังสือลับ (ดูรายละเอียดในหนังสือ)' : doc.subject, sender: doc.senderName, letterNumber: doc.letterNumber,
  };
}

export async function startIncomingRouting(runtime: WorkflowRuntime, t: Transaction, actor: Actor, doc: Document): Promise<number | null> {
  let definition;
  try {
    definition = await activeDefinition(doc.organisationId, INCOMING_ROUTING_KEY, t);
  } catch {
    return null; // the organisation routes letters by hand: no routing process deployed
  }
  const own = actor.capacities.find((c) => c.capacity === 'self');
  const { instance } = await runtime.start({
    definition, organisationId: doc.organisationId, documentId: Number(doc.id), transaction: t,
    starter: { userId: actor.userId, positionId: own?.positionId ?? null, capacity: 'self' }, starterUsername: actor.user.username,
    variables: { document: documentVariables(doc) },
  });
  return Number(instance.id);
}

/** The names the designer gave the steps of a deployed version (element id → name). */
export async function stepNames(definitionId: number): Promise<Map<string, string>> {
  return namesOf(await activitiesOf(definitionId));
}

const namesOf = (activities: ActivityInfo[]) => new Map(activities.filter((a) => a.name).map((a) => [a.id, a.name!.trim()]));

/** What the performer wrote when completing a step: the endorsement, summary or result fields. */
function noteOf(detail: string | null): string | null {
  const vars = ((detail ? JSON.parse(detail) : {}) as { variables?: Record<string, unknown> }).variables ?? {};
  const note = [vars.endorsement, vars.summary, vars.result].filter((x) => typeof x === 'string' && x).join(' — ');
  return note || null;
}

/** Names the people, groups, units and positions of a route: one query per kind (any other kind is a position). */
async function labelsOf(refs: Array<{ kind: string; id: number }>): Promise<(kind: string, id: number) => string> {
  const kindOf = (kind: string) => (kind === 'user' || kind === 'group' || kind === 'unit' ? kind : 'position');
  const idsOf = (kind: string) => [...new Set(refs.filter((r) => kindOf(r.kind) === kind).map((r) => Number(r.id)))];
  const named = async <M extends { id: unknown }>(ids: number[], find: (where: { id: { [Op.in]: number[] } }) => Promise<M[]>, name: (m: M) => string) =>
    new Map((ids.length ? await find({ id: { [Op.in]: ids } }) : []).map((m) => [Number(m.id), name(m)]));
  const [user, group, unit, position] = await Promise.all([
    named(idsOf('user'), (where) => User.findAll({ where, attributes: ['id', 'prefixTh', 'firstNameTh', 'lastNameTh'] }), (u) => u.displayName),
    named(idsOf('group'), (where) => Group.findAll({ where, attributes: ['id', 'nameTh'] }), (g) => g.nameTh),
    named(idsOf('unit'), (where) => Unit.findAll({ where, attributes: ['id', 'nameTh'] }), (u) => u.nameTh),
    named(idsOf('position'), (where) => Position.findAll({ where, attributes: ['id', 'titleTh'] }), (p) => p.titleTh),
  ]);
  const names = { user, group, unit, position };
  return (kind, id) => names[kindOf(kind)].get(Number(id)) ?? `${kindOf(kind)} ${id}`;
}

/** Where a letter is: its processes, and for each open step the people or groups holding it. */
export async function routeOfDocument(documentId: number) {
  const doc = await Document.findByPk(documentId);
  if (!doc) throw notFound('Document');
  const instances = await ProcessInstance.findAll({ where: { documentId }, attributes: { exclude: ['state'] }, order: [['id', 'ASC']] });
  const tasks = instances.length ? await Task.findAll({ where: { instanceId: { [Op.in]: instances.map((i) => i.id) } }, order: [['id', 'ASC']] }) : [];
  const open = tasks.filter((t) => t.status === 'open');
  const candidates = open.length ? await TaskCandidate.findAll({ where: { taskId: { [Op.in]: open.map((t) => t.id) } } }) : [];
  const activities = await activitiesOfEach([...new Set(instances.map((i) => i.definitionId))]);
  const names = new Map(instances.map((i) => [Number(i.id), namesOf(activities.get(i.definitionId) ?? [])]));
  const stepName = (t: Task) => names.get(Number(t.instanceId))?.get(t.elementId) ?? t.name;
  const completed = tasks.filter((t) => t.status === 'completed').sort((a, b) => +new Date(a.completedAt ?? 0) - +new Date(b.completedAt ?? 0) || Number(a.id) - Number(b.id));
  const completions = completed.length
    ? await HistoryEntry.findAll({ where: { taskId: { [Op.in]: completed.map((t) => t.id) }, event: 'task.completed' }, attributes: ['taskId', 'detail'] })
    : [];
  const holdersOf = (t: Task) =>
    t.assigneeUserId ? [{ kind: 'user', id: t.assigneeUserId }] : candidates.filter((c) => Number(c.taskId) === Number(t.id)).map((c) => ({ kind: c.kind, id: c.refId }));
  const label = await labelsOf([
    ...open.flatMap(holdersOf),
    ...completed.filter((t) => t.completedById).map((t) => ({ kind: 'user', id: t.completedById! })),
  ]);
  const steps = open.map((t) => ({
    taskId: Number(t.id), instanceId: Number(t.instanceId), elementId: t.elementId, name: stepName(t), since: t.createdAt.toISOString(), dueAt: t.dueAt?.toISOString() ?? null,
    holders: holdersOf(t).map((h) => ({ ...h, name: label(h.kind, h.id) })),
  }));
  return {
    documentId,
    instances: instances.map((i) => ({ id: Number(i.id), processKey: i.processKey, status: i.status, startedAt: i.startedAt.toISOString(), endedAt: i.endedAt?.toISOString() ?? null })),
    current: steps,
    done: completed.map((t) => ({
      taskId: Number(t.id), instanceId: Number(t.instanceId), elementId: t.elementId, name: stepName(t),
      completedById: t.completedById, completedByName: t.completedById ? label('user', t.completedById) : null,
      completedAt: t.completedAt?.toISOString() ?? null, capacity: t.completedCapacity,
      note: noteOf(completions.find((h) => Number(h.taskId) === Number(t.id))?.detail ?? null),
    })),
  };
}

/**
 * Circulates a registered letter to many units (processes/circular-letter.bpmn): each unit gets
 * an acknowledgement task, and the letter's route shows which units have acknowledged.
 */
export async function circulate(runtime: WorkflowRuntime, actor: Actor, doc: Document, unitIds: number[]): Promise<number> {
  if (!['registered', 'sent'].includes(doc.status)) throw conflict(`Only a registered letter can be circulated; this one is ${doc.status}.`);
  const allowed = await subtreeOf(actor.organisationId);
  const units = await Unit.findAll({ where: { id: { [Op.in]: unitIds } } });
  const unknown = unitIds.filter((id) => !units.some((u) => Number(u.id) === id && allowed.has(u.organisationId) && u.active));
  if (unknown.length) throw unprocessable('Some units are not active units of your organisation or the offices below it.', [{ field: 'unitIds', message: `unknown: ${unknown.join(', ')}` }]);
  const definition = await activeDefinition(actor.organisationId, CIRCULAR_KEY);
  const own = actor.capacities.find((c) => c.capacity === 'self');
  const { instance } = await runtime.start({
    definition, organisationId: actor.organisationId, documentId: Number(doc.id),
    starter: { userId: actor.userId, positionId: own?.positionId ?? null, capacity: 'self' }, starterUsername: actor.user.username,
    variables: { units: unitIds, prepared: true, document: documentVariables(doc) },
  });
  return Number(instance.id);
}
