// Conditional intermediate events wait until their condition holds. bpmn-elements evaluates the
// condition once, on arrival; Camunda 7 evaluates it again whenever a variable of its scope is set.
// Variables change only through commands (a task completed with variables, a message with
// variables, an administrator's correction, a service's output), and a condition reads nothing
// but variables, so evaluating every waiting conditional event after each command fires it exactly
// when Camunda would. Conditional boundary and start events are refused at deploy (bpmn.ts).
import type { EngineHost } from './engine-host';

interface ApiLike {
  id: string;
  type: string;
  executionId: string;
  owner?: { type?: string; isSubProcess?: boolean; behaviour?: { eventDefinitions?: Array<{ type?: string }> } };
  getPostponed?(): ApiLike[];
  signal(message?: unknown): void;
}

const isConditional = (api: ApiLike) => api.owner?.type === 'bpmn:IntermediateCatchEvent' && (api.owner?.behaviour?.eventDefinitions ?? []).some((d) => d.type === 'bpmn:ConditionalEventDefinition');

/** Asks every waiting conditional catch event to evaluate its condition again; returns how many. */
export function reevaluateConditions(host: EngineHost): number {
  const found: ApiLike[] = [];
  const seen = new Set<string>();
  const visit = (api: ApiLike) => {
    if (seen.has(api.executionId)) return;
    seen.add(api.executionId);
    if (isConditional(api)) found.push(api);
    if (api.owner?.isSubProcess) for (const child of api.getPostponed?.() ?? []) visit(child);
  };
  for (const api of (host.engine.execution as unknown as { getPostponed?(): ApiLike[] } | undefined)?.getPostponed?.() ?? []) visit(api);
  for (const api of found) api.signal();
  return found.length;
}
