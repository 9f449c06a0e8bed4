// BPMN errors and escalations thrown by people from a user task (Camunda 7's
// TaskService.handleBpmnError / handleEscalation). The engine can deliver both; what it cannot do
// is say beforehand whether anything catches them: an uncaught error would fail the whole engine.
// So the host looks first: the catching boundary events of the task, then of each enclosing
// sub-process, nearest scope first, as Camunda propagates. Nothing catches → 422 naming the codes
// that are caught, and nothing changes (Camunda would end the execution silently, or with
// enableExceptionsAfterUnhandledBpmnError throw: the latter is what a routing system needs).
import { conflict, unprocessable } from '../../lib/errors';
import type { EngineHost } from './engine-host';

type Bag = Record<string, unknown>;

export interface ActivityApi {
  id: string;
  type: string;
  executionId: string;
  owner: {
    id: string;
    isSubProcess?: boolean;
    attachedTo?: { id: string };
    parent?: { id: string };
    behaviour?: Bag;
    broker: { publish(exchange: string, routingKey: string, content: Bag, properties?: Bag): void };
    /** The deployed elements as serialised (errors and escalations with their codes). */
    context?: { definitionContext?: { getActivityById?(id: string): { behaviour?: Bag } | null | undefined } };
  };
  getPostponed(): ActivityApi[];
  sendApiMessage(action: string, content?: Bag, options?: Bag): void;
}

export type ThrowKind = 'error' | 'escalation';

interface Catcher {
  api: ActivityApi;
  boundaryId: string;
  scopeId: string;
  /** The code it catches; null catches every code (a catch event without a reference). */
  code: string | null;
  refId: string | null;
  codeVariable: string | null;
  messageVariable: string | null;
}

/** Every running activity, those inside running sub-processes too. */
export function running(host: EngineHost): ActivityApi[] {
  const execution = host.engine.execution as unknown as { getPostponed?(): ActivityApi[] } | undefined;
  const flatten = (apis: ActivityApi[], depth = 0): ActivityApi[] =>
    apis.flatMap((a) => [a, ...(a.owner.isSubProcess && depth < 20 ? flatten(a.getPostponed().filter((c) => c.id !== a.id), depth + 1) : [])]);
  return flatten(execution?.getPostponed?.() ?? []);
}

function catcherOf(api: ActivityApi, kind: ThrowKind): Catcher | null {
  const definitionType = kind === 'error' ? 'bpmn:ErrorEventDefinition' : 'bpmn:EscalationEventDefinition';
  const definitions = (api.owner.behaviour?.eventDefinitions as Array<{ type?: string; behaviour?: Bag }> | undefined) ?? [];
  const def = definitions.find((d) => d.type === definitionType || d.behaviour?.$type === definitionType);
  if (!def || !api.owner.attachedTo) return null;
  const b = def.behaviour ?? {};
  const ref = (kind === 'error' ? b.errorRef : b.escalationRef) as { id?: string } | undefined;
  const referenced = ref?.id ? api.owner.context?.definitionContext?.getActivityById?.(ref.id)?.behaviour : undefined;
  const code = ref?.id ? String((kind === 'error' ? referenced?.errorCode : referenced?.escalationCode) ?? ref.id) : null;
  return {
    api, boundaryId: api.id, scopeId: api.owner.attachedTo.id, code, refId: ref?.id ?? null,
    codeVariable: ((kind === 'error' ? b.errorCodeVariable : b.escalationCodeVariable) as string | undefined) ?? null,
    messageVariable: kind === 'error' ? ((b.errorMessageVariable as string | undefined) ?? null) : null,
  };
}

/**
 * Throws a BPMN error or an escalation from the user task waiting at `executionId`. Returns the
 * catching boundary event; 409 when the task is not waiting, 422 when nothing catches the code.
 */
export function throwFromTask(host: EngineHost, task: { elementId: string; executionId: string }, kind: ThrowKind, code: string, message: string | null): { boundaryId: string; scopeId: string; interrupting: boolean } {
  const apis = running(host);
  const taskApi = apis.find((a) => a.executionId === task.executionId) ?? apis.find((a) => a.id === task.elementId && a.type === 'bpmn:UserTask');
  if (!taskApi) throw conflict('The process is not waiting at this task any more.');
  const byId = new Map(apis.map((a) => [a.id, a]));
  const catchers = apis.map((a) => catcherOf(a, kind)).filter((c): c is Catcher => c !== null);

  // Nearest scope first: the task itself, then each enclosing sub-process.
  let found: Catcher | undefined;
  const scopes: string[] = [];
  for (let scopeId: string | undefined = task.elementId; scopeId && !found; scopeId = byId.get(scopeId)?.owner.parent?.id) {
    scopes.push(scopeId);
    const here = catchers.filter((c) => c.scopeId === scopeId);
    found = here.find((c) => c.code === code) ?? here.find((c) => c.code === null);
    if (scopes.length > 20) break;
  }
  if (!found) {
    const caught = catchers.filter((c) => scopes.includes(c.scopeId));
    const what = kind === 'error' ? 'ข้อผิดพลาด (BPMN error)' : 'การยกระดับ (escalation)';
    throw unprocessable(
      `ไม่มีเหตุการณ์ขอบใดรับ${what}รหัส "${code}" จากขั้นตอนนี้ — No boundary event on "${task.elementId}" or around it catches the ${kind} code "${code}"; nothing was changed.`,
      caught.map((c) => ({ field: kind === 'error' ? 'errorCode' : 'escalationCode', code: c.code, elementId: c.boundaryId, attachedTo: c.scopeId, message: c.code === null ? 'catches every code' : `catches ${c.code}` })),
    );
  }

  const variables = host.variables();
  if (found.codeVariable) variables[found.codeVariable] = code;
  if (found.messageVariable) variables[found.messageVariable] = message;
  if (kind === 'error') {
    // The task fails with the code: the engine hands it to the nearest boundary that expects it.
    taskApi.sendApiMessage('error', { message: message ?? code, code, name: code });
  } else {
    // Delivered to the one catching boundary (a broadcast would wake boundaries of other tasks).
    found.api.owner.broker.publish('api', `activity.escalate.${found.api.executionId}`, { message: { id: found.refId ?? undefined, code } }, { type: 'escalate' });
  }
  // An error always ends the task (at it or around it); an escalation when its boundary interrupts.
  const interrupting = kind === 'error' || found.api.owner.behaviour?.cancelActivity !== false;
  return { boundaryId: found.boundaryId, scopeId: found.scopeId, interrupting };
}
