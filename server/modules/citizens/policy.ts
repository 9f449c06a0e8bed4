// Who sees what of the citizens' channel.
// - The public (no account): its own submission, opened with the tracking code AND the e-mail or the
//   last 4 ID digits; never internal endorsements, officials' names beyond the unit, or others' data.
// - The citizen's personal data (ID hash and last 4, address, phone, e-mail): the registry clerks of
//   the organisation written to, and the people working on that letter: those who hold, are offered,
//   completed or may reassign a task of a process run on it (tasks/policy.ts decides "sees the task").
//   Nobody of another organisation. The letter itself (subject, text, the citizen's name as sender)
//   goes into the tray and, once accepted, into the routing like any incoming letter.
// - The monitor's counts (no personal data): the organisation's managers and its clerks.
import { Op, type Transaction } from 'sequelize';
import { CitizenSubmission, Delivery, ProcessInstance, Task, TaskCandidate } from '../../db/models';
import { forbidden } from '../../lib/errors';
import type { Actor } from '../auth/actor';
import { mayWatchMonitors } from '../notify/rooms';
import { taskAccess } from '../tasks/policy';

export function assertClerkOf(actor: Actor, organisationId: number): void {
  if (actor.organisationId !== organisationId || !actor.roles.has('registry_clerk')) {
    throw forbidden('เฉพาะเจ้าหน้าที่สารบรรณของหน่วยงาน (Only the registry clerks of the organisation see citizens\' requests.)');
  }
}

export function assertMayMonitor(actor: Actor): void {
  if (!mayWatchMonitors(actor) && !actor.roles.has('registry_clerk')) throw forbidden('Only managers and registry clerks see the counts of citizens\' requests.');
}

const isClerkOf = (actor: Actor, organisationId: number) => actor.organisationId === organisationId && actor.roles.has('registry_clerk');

/** Whether the actor works on the submission's letter: sees a task of a process run on it (either copy). */
async function worksOnLetter(actor: Actor, s: CitizenSubmission, transaction?: Transaction): Promise<boolean> {
  const delivery = s.deliveryId ? await Delivery.findByPk(s.deliveryId, { attributes: ['receivedDocumentId'], transaction }) : null;
  const letters = [Number(s.documentId), ...(delivery?.receivedDocumentId ? [Number(delivery.receivedDocumentId)] : [])];
  const instances = await ProcessInstance.findAll({ where: { documentId: { [Op.in]: letters }, organisationId: s.organisationId }, attributes: ['id'], transaction });
  const tasks = await Task.findAll({
    where: { organisationId: s.organisationId, [Op.or]: [{ documentId: { [Op.in]: letters } }, ...(instances.length ? [{ instanceId: { [Op.in]: instances.map((i) => i.id) } }] : [])] },
    limit: 500, transaction,
  });
  if (!tasks.length) return false;
  const candidates = await TaskCandidate.findAll({ where: { taskId: { [Op.in]: tasks.map((t) => t.id) } }, attributes: ['taskId', 'kind', 'refId'], raw: true, transaction });
  for (const task of tasks) {
    const known = candidates.filter((c) => Number(c.taskId) === Number(task.id)).map((c) => ({ kind: c.kind, refId: Number(c.refId) }));
    if ((await taskAccess(task, actor, known)).canSee) return true;
  }
  return false;
}

/** The registry clerks of the organisation written to, and the people working on that letter. */
export async function mayReadContact(actor: Actor, s: CitizenSubmission, transaction?: Transaction): Promise<boolean> {
  if (actor.organisationId !== Number(s.organisationId)) return false;
  return isClerkOf(actor, Number(s.organisationId)) || worksOnLetter(actor, s, transaction);
}

export async function assertReadsContact(actor: Actor, s: CitizenSubmission, transaction?: Transaction): Promise<void> {
  if (!(await mayReadContact(actor, s, transaction))) {
    throw forbidden('เฉพาะเจ้าหน้าที่สารบรรณและผู้ปฏิบัติงานในหนังสือนี้ (Only the registry clerks and the people working on this letter see the citizen\'s contact data.)');
  }
}
