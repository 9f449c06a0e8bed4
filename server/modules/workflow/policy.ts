// Who may deploy processes and read instances.
import { Op } from 'sequelize';
import { HistoryEntry, ProcessInstance, Task, TaskCandidate } from '../../db/models';
import { forbidden } from '../../lib/errors';
import type { Actor } from '../auth/actor';
import { administers } from '../org/policy';

export function assertDesigner(actor: Actor): void {
  if (!actor.roles.has('process_designer') && !actor.roles.has('system_admin')) {
    throw forbidden('Only process designers and administrators deploy processes.');
  }
}

const watchers = (actor: Actor) => actor.roles.has('system_admin') || actor.roles.has('executive') || actor.roles.has('process_designer');

/** Managers of the organisation see its instances; anyone else only those they started or work(ed) on. */
export async function assertReadInstance(actor: Actor, instance: ProcessInstance): Promise<void> {
  if (instance.organisationId === actor.organisationId && watchers(actor)) return;
  if (actor.roles.has('system_admin') && (await administers(actor, instance.organisationId))) return;
  if (instance.startedById === actor.userId) return;
  if (await HistoryEntry.count({ where: { instanceId: instance.id, userId: actor.userId } })) return;
  const tasks = await Task.findAll({ where: { instanceId: instance.id }, attributes: ['id', 'assigneeUserId', 'ownerUserId'] });
  if (tasks.some((t) => t.assigneeUserId === actor.userId || t.ownerUserId === actor.userId)) return;
  const candidate = await TaskCandidate.count({
    where: {
      taskId: { [Op.in]: tasks.map((t) => t.id) },
      [Op.or]: [
        { kind: 'user', refId: actor.userId },
        { kind: 'group', refId: { [Op.in]: actor.groupIds.length ? actor.groupIds : [-1] } },
        { kind: 'unit', refId: actor.unitId ?? -1 },
        { kind: 'position', refId: { [Op.in]: actor.capacities.map((c) => c.positionId).concat(-1) } },
      ],
    },
  });
  if (candidate) return;
  throw forbidden('This process instance is not yours to see.');
}

export async function assertAdministerInstance(actor: Actor, instance: ProcessInstance): Promise<void> {
  if (!(await administers(actor, instance.organisationId))) throw forbidden('Only an administrator of the organisation may do this.');
}
