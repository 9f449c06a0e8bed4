// Letters and processes: a registered incoming letter starts the organisation's routing process
// in the same transaction, and a letter shows where it is now and who holds it.
import { Op, Transaction } from 'sequelize';
import { Document, Group, HistoryEntry, Position, ProcessInstance, Task, TaskCandidate, Unit, User } from '../../db/models';
import { conflict, notFound, unprocessable } from '../../lib/errors';
import { subtreeOf } from '../org/policy';
import type { Actor } from '../auth/actor';
import type { WorkflowRuntime } from './runtime';
import { activeDefinition, activitiesOf } from './definitions';
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
    definition = await activeDefinition(doc.organisationId, INCOMING_ROUTING_KEY);
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
  return new Map((await activitiesOf(definitionId)).filter((a) => a.name).map((a) => [a.id, a.name!.trim()]));
}

/** What the performer wrote when completing a step: the endorsement, summary or result fields. */
function noteOf(detail: string | null): string | null {
  const vars = ((detail ? JSON.parse(detail) : {}) as { variables?: Record<string, unknown> }).variables ?? {};
  const note = [vars.endorsement, vars.summary, vars.result].filter((x) => typeof x === 'string' && x).join(' — ');
  return note || null;
}

/** Where a letter is: its processes, and for each open step the people or groups holding it. */
export async function routeOfDocument(documentId: number) {
  const doc = await Document.findByPk(documentId);
  if (!doc) throw notFound('Document');
  const instances = await ProcessInstance.findAll({ where: { documentId }, attributes: { exclude: ['state'] }, order: [['id', 'ASC']] });
  const tasks = instances.length ? await Task.findAll({ where: { instanceId: { [Op.in]: instances.map((i) => i.id) } }, order: [['id', 'ASC']] }) : [];
  const open = tasks.filter((t) => t.status === 'open');
  const candidates = open.length ? await TaskCandidate.findAll({ where: { taskId: { [Op.in]: open.map((t) => t.id) } } }) : [];
  const label = async (kind: string, id: number): Promise<string> => {
    if (kind === 'user') {
      const u = await User.findByPk(id);
      return u ? u.displayName : `user ${id}`;
    }
    if (kind === 'group') return (await Group.findByPk(id))?.nameTh ?? `group ${id}`;
    if (kind === 'unit') return (await Unit.findByPk(id))?.nameTh ?? `unit ${id}`;
    return (await Position.findByPk(id))?.titleTh ?? `position ${id}`;
  };
  const names = new Map<number, Map<string, string>>();
  for (const i of instances) names.set(Number(i.id), await stepNames(i.definitionId));
  const stepName = (t: Task) => names.get(Number(t.instanceId))?.get(t.elementId) ?? t.name;
  const completed = tasks.filter((t) => t.status === 'completed').sort((a, b) => +new Date(a.completedAt ?? 0) - +new Date(b.completedAt ?? 0) || Number(a.id) - Number(b.id));
  const completions = completed.length
    ? await HistoryEntry.findAll({ where: { taskId: { [Op.in]: completed.map((t) => t.id) }, event: 'task.completed' }, attributes: ['taskId', 'detail'] })
    : [];
  const steps = [];
  for (const t of open) {
    const holders = t.assigneeUserId
      ? [{ kind: 'user', id: t.assigneeUserId, name: await label('user', t.assigneeUserId) }]
      : await Promise.all(candidates.filter((c) => Number(c.taskId) === Number(t.id)).map(async (c) => ({ kind: c.kind, id: c.refId, name: await label(c.kind, c.refId) })));
    steps.push({ taskId: Number(t.id), instanceId: Number(t.instanceId), elementId: t.elementId, name: stepName(t), since: t.createdAt.toISOString(), dueAt: t.dueAt?.toISOString() ?? null, holders });
  }
  return {
    documentId,
    instances: instances.map((i) => ({ id: Number(i.id), processKey: i.processKey, status: i.status, startedAt: i.startedAt.toISOString(), endedAt: i.endedAt?.toISOString() ?? null })),
    current: steps,
    done: await Promise.all(
      completed.map(async (t) => ({
        taskId: Number(t.id), instanceId: Number(t.instanceId), elementId: t.elementId, name: stepName(t),
        completedById: t.completedById, completedByName: t.completedById ? await label('user', t.completedById) : null,
        completedAt: t.completedAt?.toISOString() ?? null, capacity: t.completedCapacity,
        note: noteOf(completions.find((h) => Number(h.taskId) === Number(t.id))?.detail ?? null),
      })),
    ),
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
