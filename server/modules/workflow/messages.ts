// Message correlation as Camunda 7 does it: by the message's NAME (what a sender knows), and, for
// the callers written before, by the message element's id. What an instance waits for is read from
// the engine (a command) or from its stored state (GET, no engine hydrated).
import { conflict } from '../../lib/errors';
import type { EngineHost } from './engine-host';
import { running } from './bpmn-errors';

type Bag = Record<string, unknown>;

export interface MessageWait {
  elementId: string;
  messageId: string;
  messageName: string | null;
}

/** The message a waiting element expects, from its behaviour as serialised. */
function expectedMessage(behaviour: Bag | undefined): { id: string; name: string | null } | null {
  if (!behaviour) return null;
  const direct = behaviour.messageRef as { id?: string; name?: string } | undefined; // a receive task
  const defs = (behaviour.eventDefinitions as Array<{ type?: string; behaviour?: Bag }> | undefined) ?? [];
  const ref = direct?.id ? direct : (defs.find((d) => d.type === 'bpmn:MessageEventDefinition')?.behaviour?.messageRef as { id?: string; name?: string } | undefined);
  return ref?.id ? { id: ref.id, name: ref.name ?? null } : null;
}

/** What the hydrated instance waits for now. */
export function messageWaits(host: EngineHost): MessageWait[] {
  const waits: MessageWait[] = [];
  for (const api of running(host)) {
    const m = expectedMessage(api.owner.behaviour);
    if (m && !waits.some((w) => w.elementId === api.id)) waits.push({ elementId: api.id, messageId: m.id, messageName: m.name });
  }
  return waits;
}

/**
 * Delivers a message named by its name (Camunda's correlation) or by its id. 409 when the instance
 * waits for no such message, naming those it does wait for.
 */
export function deliverMessage(host: EngineHost, nameOrId: string): MessageWait {
  const waits = messageWaits(host);
  const wait = waits.find((w) => w.messageName === nameOrId) ?? waits.find((w) => w.messageId === nameOrId);
  if (!wait) {
    const expected = waits.map((w) => `"${w.messageName ?? w.messageId}"`).join(', ');
    throw conflict(
      `กระบวนงานนี้ไม่ได้รอข้อความ "${nameOrId}" — The instance is not waiting for message "${nameOrId}"; ${waits.length ? `it waits for ${expected}` : 'it waits for no message'}.`,
      waits.map((w) => ({ elementId: w.elementId, messageName: w.messageName, messageId: w.messageId })),
    );
  }
  host.message(wait.messageId);
  return wait;
}

/** The elements of a deployed version that wait for a message (read once per version). */
export function messageElementsOf(sourceContextJson: string): Set<string> {
  try {
    const source = JSON.parse(sourceContextJson) as { activities?: Array<{ id: string; behaviour?: Bag }> };
    return new Set((source.activities ?? []).filter((a) => expectedMessage(a.behaviour)).map((a) => a.id));
  } catch {
    return new Set();
  }
}

/** Elements of a stored instance that wait for a message (its state read, no engine hydrated). */
export function storedMessageWaits(stateJson: string | null | undefined, expecting: Set<string>): string[] {
  if (!stateJson || !expecting.size) return [];
  let state: { definitions?: Array<{ execution?: { processes?: Bag[] } }> };
  try {
    state = JSON.parse(stateJson);
  } catch {
    return [];
  }
  const found = new Set<string>();
  const walk = (children: unknown, depth: number) => {
    if (!Array.isArray(children) || depth > 20) return;
    for (const child of children as Array<{ id?: string; status?: string; execution?: { children?: unknown } }>) {
      if (child.id && child.status && expecting.has(child.id)) found.add(child.id);
      walk(child.execution?.children, depth + 1);
    }
  };
  for (const d of state.definitions ?? []) for (const p of d.execution?.processes ?? []) walk((p.execution as { children?: unknown } | undefined)?.children, 0);
  return [...found];
}
