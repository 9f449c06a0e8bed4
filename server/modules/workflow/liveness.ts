// No silent stall: after every command, an instance that has not ended must be waiting for
// something — a person (user task), a timer, a message or signal, a service call, a running
// activity. One that waits for nothing can never move again (a token stuck at a join, an engine
// defect); it becomes an incident the monitor shows, naming where its tokens stopped.
import type { Transaction } from 'sequelize';
import { Incident, type ProcessInstance } from '../../db/models';
import type { DomainEvent } from '../events/outbox';
import type { EngineHost } from './engine-host';
import { noPathMessage } from './gateway-incident';

interface ApiLike {
  id: string;
  type: string;
  executionId: string;
  content: { isSequenceFlow?: boolean; isAssociation?: boolean; targetId?: string };
  owner?: { isSubProcess?: boolean };
  getPostponed?(): ApiLike[];
}

/** Whether a postponed element still waits for something (a sub-process: something inside it). */
function waitsForSomething(api: ApiLike, seen: Set<string>): boolean {
  if (api.content?.isSequenceFlow || api.content?.isAssociation) return false;
  if (!api.owner?.isSubProcess) return true;
  seen.add(api.executionId);
  const children = (api.getPostponed?.() ?? []).filter((c) => !seen.has(c.executionId));
  return children.some((c) => waitsForSomething(c, seen));
}

/** Where the tokens of a stalled instance stopped: the targets of flows nobody picked up. */
function stuckAt(postponed: ApiLike[]): string[] {
  const at = new Set<string>();
  const visit = (api: ApiLike, seen: Set<string>) => {
    if (seen.has(api.executionId)) return;
    seen.add(api.executionId);
    if (api.content?.isSequenceFlow && api.content.targetId) at.add(api.content.targetId);
    for (const c of api.owner?.isSubProcess ? api.getPostponed?.() ?? [] : []) visit(c, seen);
  };
  const seen = new Set<string>();
  for (const api of postponed) visit(api, seen);
  return [...at];
}

/** True when the engine has not ended and nothing in it waits for anything. */
export function isStalled(host: EngineHost): boolean {
  if (host.collector?.engineEnded || host.ended) return false;
  if (host.services.size || host.timers.armed.size) return false;
  if (host.engine.activityStatus === 'executing') return false; // still running on its own
  const postponed = ((host.engine.execution as unknown as { getPostponed?(): ApiLike[] } | undefined)?.getPostponed?.() ?? []);
  const seen = new Set<string>();
  return !postponed.some((api) => waitsForSomething(api, seen));
}

/**
 * Raises the incident of a stalled instance, once (an open one is not raised again), in the
 * command's transaction. Called by the runtime after each command, before its rows are written.
 */
export const STALL_MESSAGE = 'The instance cannot move on';

export async function raiseIfStalled(host: EngineHost, instance: ProcessInstance, t: Transaction, effects: { history: Array<Record<string, unknown>>; events: DomainEvent[] }): Promise<void> {
  if (!isStalled(host)) return;
  if (await Incident.count({ where: { instanceId: instance.id, jobId: null, status: 'open' }, transaction: t })) return;
  const postponed = ((host.engine.execution as unknown as { getPostponed?(): ApiLike[] } | undefined)?.getPostponed?.() ?? []);
  const at = stuckAt(postponed);
  const elementId = at[0] ?? null;
  const message = `${STALL_MESSAGE} and has not ended: no task, timer, message or service waits in it${at.length ? ` (its tokens stopped at ${at.join(', ')})` : ''}. `
    + 'Cancel it, or correct the diagram and start again.';
  const incident = await Incident.create({ instanceId: instance.id, jobId: null, elementId, message, status: 'open' }, { transaction: t });
  host.openHostIncidents = true;
  const now = new Date();
  effects.history.push({ instanceId: instance.id, organisationId: instance.organisationId, processKey: instance.processKey, elementId, event: 'incident.raised', detail: JSON.stringify({ incidentId: incident.id, message }), at: now });
  effects.events.push({ type: 'incident.raised', organisationId: instance.organisationId, subject: { type: 'incident', id: incident.id }, audience: { processKeys: [instance.processKey] }, summary: { incidentId: incident.id, instanceId: instance.id, elementId } });
}

/**
 * The incidents the host raised (a stall, a gateway where no condition held) are resolved by the
 * command that moves the instance past them, in its transaction, with a history entry: a stall
 * once something waits in the instance again (or it ended), a gateway once it was passed (or the
 * instance ended). Incidents of failed service calls are left to an administrator's retry.
 * Looked up only when there may be some: after a hydration, after a gateway was passed, at the end.
 */
export async function resolveMovedPast(host: EngineHost, instance: ProcessInstance, t: Transaction, effects: { history: Array<Record<string, unknown>>; events: DomainEvent[] }): Promise<number> {
  const c = host.collector;
  const passed = new Set((c?.history ?? []).filter((h) => h.event === 'activity.end' && /Gateway$/.test(h.elementType)).map((h) => h.elementId));
  const ended = Boolean(c?.engineEnded);
  if (host.openHostIncidents === false && !passed.size && !ended) return 0;
  const open = await Incident.findAll({ where: { instanceId: instance.id, jobId: null, status: 'open' }, transaction: t });
  const stalled = !ended && isStalled(host);
  const now = new Date();
  let resolved = 0;
  for (const incident of open) {
    const gateway = incident.elementId !== null && incident.message === noPathMessage(incident.elementId);
    const stall = incident.message.startsWith(STALL_MESSAGE);
    const movedPast = gateway ? ended || passed.has(incident.elementId!) : stall ? !stalled : false;
    if (!movedPast) continue;
    await incident.update({ status: 'resolved', resolvedAt: now, resolvedById: null }, { transaction: t });
    resolved++;
    const reason = ended ? 'the instance ended' : gateway ? 'the gateway was passed' : 'the instance moved on';
    effects.history.push({ instanceId: instance.id, organisationId: instance.organisationId, processKey: instance.processKey, elementId: incident.elementId, event: 'incident.resolved', detail: JSON.stringify({ incidentId: incident.id, automatically: true, reason }), at: now });
    effects.events.push({ type: 'incident.resolved', organisationId: instance.organisationId, subject: { type: 'incident', id: incident.id }, audience: { processKeys: [instance.processKey] }, summary: { incidentId: incident.id, instanceId: instance.id, elementId: incident.elementId } });
  }
  host.openHostIncidents = open.length > resolved;
  return resolved;
}
