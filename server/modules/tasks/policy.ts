// Who may see and work on a task, and in which capacity: as themselves, or for a position they
// act for (ปฏิบัติราชการแทน / รักษาราชการแทน). A supervisor of the assignee (up the chain of
// command) or the organisation's administrator may reassign.
import { Position, Task, TaskCandidate, User } from '../../db/models';
import type { Actor } from '../auth/actor';

export interface TaskAccess {
  canSee: boolean;
  /** May complete, comment, delegate (assignee, owner, or an unassigned candidate). */
  canWork: boolean;
  canClaim: boolean;
  canUnclaim: boolean;
  canReassign: boolean;
  capacity: 'self' | 'acting_for' | 'acting_in_post';
  positionId: number | null;
  delegationId: number | null;
  /** Who the task is offered to (read for the decision; events about the task go to them). */
  candidates: Array<{ kind: string; refId: number }>;
}

/** Pass the task's candidates when they were read with it. */
export async function taskAccess(task: Task, actor: Actor, known?: Array<{ kind: string; refId: number }>): Promise<TaskAccess> {
  const candidates = known ?? (await TaskCandidate.findAll({ where: { taskId: task.id }, attributes: ['kind', 'refId'], raw: true }));
  const positionCapacity = (positionId: number) => actor.capacities.find((c) => c.positionId === positionId);
  let viaPosition: (typeof actor.capacities)[number] | undefined;
  const candidate = candidates.some((c) => {
    if (c.kind === 'user') return c.refId === actor.userId;
    if (c.kind === 'group') return actor.groupIds.includes(c.refId);
    if (c.kind === 'unit') return actor.unitId === c.refId;
    const cap = positionCapacity(c.refId);
    if (cap && (!viaPosition || cap.capacity === 'self')) viaPosition = cap;
    return Boolean(cap);
  });
  const open = task.status === 'open';
  const isAssignee = task.assigneeUserId === actor.userId;
  const isOwner = task.ownerUserId === actor.userId;
  const own = actor.capacities.find((c) => c.capacity === 'self');
  const capacity = viaPosition ?? own;
  const canReassign = open && task.assigneeUserId != null && !isAssignee && (await supervises(actor, task.assigneeUserId, task.organisationId));
  return {
    canSee: isAssignee || isOwner || candidate || canReassign || task.completedById === actor.userId,
    canWork: open && (isAssignee || isOwner || (task.assigneeUserId == null && candidate)),
    canClaim: open && task.assigneeUserId == null && candidate,
    canUnclaim: open && isAssignee && task.ownerUserId == null,
    canReassign,
    capacity: capacity?.capacity ?? 'self',
    positionId: capacity?.positionId ?? null,
    delegationId: capacity?.delegationId ?? null,
    candidates,
  };
}

/** True when one of the actor's positions is above the user's position in the chain of command,
 * or the actor administers the task's organisation. */
export async function supervises(actor: Actor, userId: number, organisationId: number): Promise<boolean> {
  if (actor.roles.has('system_admin') && actor.organisationId === organisationId) return true;
  const user = await User.findByPk(userId, { attributes: ['positionId'] });
  const mine = new Set(actor.capacities.map((c) => c.positionId));
  let current = user?.positionId ? await Position.findByPk(user.positionId, { attributes: ['id', 'reportsToId'] }) : null;
  for (let hops = 0; current?.reportsToId && hops < 50; hops++) {
    if (mine.has(current.reportsToId)) return true;
    current = await Position.findByPk(current.reportsToId, { attributes: ['id', 'reportsToId'] });
  }
  return false;
}
