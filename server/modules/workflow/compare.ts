// What changed between two deployed versions of a process: elements added, removed, and changed
// in what matters to how the process runs (name, performers, conditions, timers, due dates,
// forms, multi-instance, service topic, flow ends). Computed here, from the two stored XMLs, with
// the same moddle the deployment uses, so the modeler only draws the answer.
import { z } from '../../lib/openapi';
import { flowElementsOf, Moddle, processesOf, readBpmn } from './bpmn';

export const ElementChange = z.object({ field: z.string(), from: z.string().nullable(), to: z.string().nullable() });
const ElementRef = z.object({ id: z.string(), type: z.string(), name: z.string().nullable() });
export const VersionComparison = z
  .object({
    key: z.string(), from: z.number().int(), to: z.number().int(),
    added: z.array(ElementRef), removed: z.array(ElementRef), changed: z.array(ElementRef.extend({ changes: z.array(ElementChange) })),
  })
  .openapi('VersionComparison');
export type VersionComparison = z.output<typeof VersionComparison>;

const text = (v: unknown): string | null => (v == null || v === '' ? null : String(v));
const body = (expr: unknown): string | null => text((expr as Moddle | undefined)?.body);

/** The facts of an element that change how it runs, as comparable strings. */
function factsOf(el: Moddle): Record<string, string | null> {
  const ext = ((el.extensionElements as Moddle | undefined)?.values as Moddle[] | undefined) ?? [];
  const formFields = ext.filter((v) => v.$type === 'camunda:FormData').flatMap((f) => (f.fields as Moddle[] | undefined) ?? []);
  const loop = el.loopCharacteristics as Moddle | undefined;
  const timers = ((el.eventDefinitions as Moddle[] | undefined) ?? []).filter((d) => d.$type === 'bpmn:TimerEventDefinition');
  return {
    name: text(el.name),
    assignee: text(el.assignee),
    candidateUsers: text(el.candidateUsers),
    candidateGroups: text(el.candidateGroups),
    dueDate: text(el.dueDate),
    priority: text(el.priority),
    formKey: text(el.formKey),
    formFields: formFields.length ? formFields.map((f) => `${f.id}:${f.type ?? ''}`).join(', ') : null,
    condition: body(el.conditionExpression),
    timer: timers.length ? timers.map((d) => body(d.timeDuration) ?? body(d.timeDate) ?? body(d.timeCycle) ?? '').join(', ') : null,
    cancelActivity: el.$type === 'bpmn:BoundaryEvent' ? text(el.cancelActivity ?? true) : null,
    multiInstance: loop ? `${text(loop.collection) ?? ''} ${text(loop.elementVariable) ?? ''} ${body(loop.completionCondition) ?? ''}`.trim() : null,
    topic: text(el.topic),
    default: text((el.default as Moddle | undefined)?.id),
    source: text((el.sourceRef as Moddle | undefined)?.id),
    target: text((el.targetRef as Moddle | undefined)?.id),
  };
}

/** The elements of every process in the file, by id (the deployment's parse and walk). */
async function elementsOf(xml: string): Promise<Map<string, Moddle>> {
  const { rootElement } = await readBpmn(xml);
  return new Map(processesOf(rootElement).flatMap(flowElementsOf).filter((el) => el.id).map((el) => [el.id!, el]));
}

const refOf = (el: Moddle) => ({ id: el.id!, type: el.$type.replace(/^bpmn:/, ''), name: text(el.name) });

export async function compareVersions(key: string, from: { version: number; xml: string }, to: { version: number; xml: string }): Promise<VersionComparison> {
  const [before, after] = await Promise.all([elementsOf(from.xml), elementsOf(to.xml)]);
  const changed: VersionComparison['changed'] = [];
  for (const [id, el] of after) {
    const old = before.get(id);
    if (!old) continue;
    const a = factsOf(old);
    const b = factsOf(el);
    const changes = Object.keys(b).filter((f) => a[f] !== b[f]).map((field) => ({ field, from: a[field], to: b[field] }));
    if (old.$type !== el.$type) changes.unshift({ field: 'type', from: old.$type.replace(/^bpmn:/, ''), to: el.$type.replace(/^bpmn:/, '') });
    if (changes.length) changed.push({ ...refOf(el), changes });
  }
  return {
    key, from: from.version, to: to.version,
    added: [...after.values()].filter((el) => !before.has(el.id!)).map(refOf),
    removed: [...before.values()].filter((el) => !after.has(el.id!)).map(refOf),
    changed,
  };
}
