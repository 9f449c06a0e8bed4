// How workflow rows leave the server. What a row carries from its letter (a task's title, a history
// detail) goes out only through the reader's Disclosure (documents/present.ts), so every read path
// shows the same.
import type { HistoryEntry, Incident, ProcessInstance, Task } from '../../db/models';
import type { Disclosure } from '../documents/present';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** What an inbox query reads beside a task row (tasks/service.ts): its letter's ด่วนภายใน deadline, the position I act for that brought it to me. */
type TaskExtras = { urgentBy?: Date | string | null; actingForPositionId?: number | null };

export function presentTask(t: Task, disclose: Disclosure, now = new Date()) {
  const extra = t.dataValues as TaskExtras;
  const shown = disclose(t);
  return {
    id: Number(t.id), instanceId: Number(t.instanceId), processKey: t.processKey, elementId: t.elementId, name: t.name, title: shown ? t.title : null, status: t.status,
    assigneeUserId: t.assigneeUserId, ownerUserId: t.ownerUserId, priority: t.priority, urgency: t.urgency,
    dueAt: iso(t.dueAt), overdue: t.status === 'open' && !!t.dueAt && new Date(t.dueAt) < now, formKey: t.formKey,
    documentId: t.documentId == null ? null : Number(t.documentId), createdAt: iso(t.createdAt)!, completedAt: iso(t.completedAt),
    urgentBy: shown ? iso(extra.urgentBy == null ? null : new Date(extra.urgentBy)) : null,
    actingForPositionId: extra.actingForPositionId == null ? null : Number(extra.actingForPositionId),
  };
}

export function presentInstance(i: ProcessInstance) {
  return {
    id: Number(i.id), definitionId: i.definitionId, processKey: i.processKey, businessKey: i.businessKey, documentId: i.documentId == null ? null : Number(i.documentId),
    status: i.status, version: i.version, startedById: i.startedById, startedAt: iso(i.startedAt)!, endedAt: iso(i.endedAt),
  };
}

/** `shown`: the reader's disclosure of the history's instance (a detail carries variables, endorsements, comments). */
export function presentHistory(h: HistoryEntry, shown: boolean) {
  return {
    id: Number(h.id), elementId: h.elementId, elementType: h.elementType, event: h.event, taskId: h.taskId == null ? null : Number(h.taskId),
    userId: h.userId, capacity: h.capacity, forPositionId: h.forPositionId, detail: shown && h.detail ? JSON.parse(h.detail) : null, at: iso(h.at)!,
  };
}

export function presentIncident(i: Incident) {
  return { id: Number(i.id), instanceId: Number(i.instanceId), elementId: i.elementId, message: i.message, status: i.status, createdAt: iso(i.createdAt)!, resolvedAt: iso(i.resolvedAt) };
}
