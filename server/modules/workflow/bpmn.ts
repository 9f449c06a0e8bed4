// Parsing and validating BPMN at deploy time. Every refusal names the element, so the modeler
// can mark it. A definition that passes is serialised once (the `sourceContext` instances reuse).
import { BpmnModdle } from 'bpmn-moddle';
import * as elements from 'bpmn-elements';
import Serializer, { TypeResolver } from 'moddle-context-serializer';
import { checkExpression, expressionsIn, ExpressionError } from './expressions';
import { parsePerformers } from './performers';
import { SERVICE_TOPICS } from './services';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const camundaModdle = require('camunda-bpmn-moddle/resources/camunda.json');

export interface ElementProblem {
  elementId: string | null;
  message: string;
}

export interface ParsedDefinition {
  key: string;
  name: string | null;
  sourceContext: string;
}

/** An element as bpmn-moddle reads it. */
export type Moddle = { $type: string; id?: string; name?: string; [k: string]: unknown };
type Bag = Record<string, unknown>;

const typeResolver = () => TypeResolver(elements as never);

/** Reads BPMN XML with the Camunda extensions (throws on XML that is not BPMN 2.0). */
export async function readBpmn(xml: string): Promise<{ rootElement: Moddle; warnings: Array<{ message: string; element?: Moddle }> }> {
  return (await new BpmnModdle({ camunda: camundaModdle }).fromXML(xml)) as never;
}

/** The processes of a BPMN file. */
export function processesOf(root: Moddle): Moddle[] {
  return ((root.rootElements as Moddle[]) ?? []).filter((e) => e.$type === 'bpmn:Process');
}

/** Every flow element of a process, those inside sub-processes too, each before its children. */
export function flowElementsOf(process: Moddle): Moddle[] {
  return collect(process.flowElements as Moddle[] | undefined);
}

function collect(flowElements: Moddle[] | undefined, into: Moddle[] = []): Moddle[] {
  for (const el of flowElements ?? []) {
    into.push(el);
    if (Array.isArray(el.flowElements)) collect(el.flowElements as Moddle[], into);
  }
  return into;
}

function checkTemplate(problems: ElementProblem[], elementId: string | null, what: string, value: unknown) {
  if (typeof value !== 'string') return;
  for (const expr of expressionsIn(value)) {
    try {
      checkExpression(expr);
    } catch (err) {
      const message = (err as Error).message;
      problems.push({
        elementId,
        message: err instanceof ExpressionError && err.kind === 'forbidden'
          ? `นิพจน์ใช้สิ่งที่ไม่อนุญาต — ${what}: the expression \${${expr}} is not allowed: ${message}`
          : `นิพจน์ไม่ถูกต้อง — ${what}: the expression \${${expr}} does not parse (${message}).`,
      });
    }
  }
}

// Attributes that hold ids, references or plain words the runtime never evaluates.
const NOT_EVALUATED = new Set(['id', '$type', 'elementVariable']);

/** Every expression written in an element's own attributes (name, performers, due and follow-up
 * dates, priority, form key, message and error names…), the unknown-namespace ones too: whatever
 * the runtime may resolve is checked, without a list to keep in step with the modeler. */
function checkAttributes(problems: ElementProblem[], el: Moddle) {
  for (const [attr, value] of Object.entries(el)) if (!NOT_EVALUATED.has(attr)) checkTemplate(problems, el.id ?? null, attr, value);
  for (const [attr, value] of Object.entries((el.$attrs as Bag | undefined) ?? {})) if (!attr.startsWith('xmlns')) checkTemplate(problems, el.id ?? null, attr, value);
}

// Elements whose camunda:inputOutput the runtime applies (scopes.ts, engine-host.ts).
const IO_MAPPED = new Set(['bpmn:UserTask', 'bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask', 'bpmn:SubProcess', 'bpmn:CallActivity']);

/** The values inside a camunda:list or camunda:map parameter are evaluated too. */
function checkNestedValues(problems: ElementProblem[], elementId: string | null, what: string, definition: Moddle | undefined) {
  if (!definition) return;
  if (definition.$type === 'camunda:Script') return;
  for (const item of [...((definition.items as Moddle[] | undefined) ?? []), ...((definition.entries as Moddle[] | undefined) ?? [])]) {
    checkTemplate(problems, elementId, what, item.value);
    if (item.$type === 'camunda:List' || item.$type === 'camunda:Map') checkNestedValues(problems, elementId, what, item);
    else if (item.definition) checkNestedValues(problems, elementId, what, item.definition as Moddle);
  }
}

function extensionValues(el: Moddle): Moddle[] {
  const ext = el.extensionElements as { values?: Moddle[] } | undefined;
  return ext?.values ?? [];
}

export interface ValidateOptions {
  /** True only when the product deploys its own processes/ files (deployShippedProcesses). */
  shipped?: boolean;
}

export async function parseAndValidate(xml: string, options: ValidateOptions = {}): Promise<{ problems: ElementProblem[]; parsed?: ParsedDefinition }> {
  const problems: ElementProblem[] = [];
  if (!xml || !xml.trim()) return { problems: [{ elementId: null, message: 'ไม่มีเนื้อหา BPMN — The BPMN XML is empty.' }] };
  let context: Awaited<ReturnType<typeof readBpmn>>;
  try {
    context = await readBpmn(xml);
  } catch (err) {
    return { problems: [{ elementId: null, message: `ไฟล์ไม่ใช่ BPMN 2.0 ที่ถูกต้อง — The XML is not well-formed BPMN 2.0: ${(err as Error).message.split('\n')[0]}` }] };
  }
  for (const w of context.warnings ?? []) problems.push({ elementId: w.element?.id ?? null, message: `Not understood: ${w.message.split('\n')[0]}` });

  const root = context.rootElement;
  const processes = processesOf(root);
  const executable = processes.filter((p) => p.isExecutable);
  if (executable.length === 0) return { problems: [...problems, { elementId: processes[0]?.id ?? null, message: 'ไม่มีกระบวนงานที่ทำงานได้ — There is no executable process (set isExecutable="true").' }] };
  if (executable.length > 1) {
    return { problems: [...problems, ...executable.slice(1).map((p) => ({ elementId: p.id ?? null, message: 'Only one executable process per file: each would start with every instance.' }))] };
  }
  const processIds = new Set(processes.map((p) => p.id));
  const messageIds = new Set(((root.rootElements as Moddle[]) ?? []).filter((e) => e.$type === 'bpmn:Message').map((m) => m.id));
  // Messages, signals, errors and escalations: the engine resolves their names and codes.
  for (const e of (root.rootElements as Moddle[]) ?? []) if (e.$type !== 'bpmn:Process') checkAttributes(problems, e);
  const mainKey = String(executable[0].id);

  for (const process of processes) {
    const all = flowElementsOf(process);
    // <bpmn:outgoing> children are optional in the XML: derive flows from sourceRef/targetRef.
    const incoming = new Map<string, number>();
    const outgoingOf = new Map<string, Moddle[]>();
    for (const f of all.filter((e) => e.$type === 'bpmn:SequenceFlow')) {
      const target = (f.targetRef as Moddle | undefined)?.id;
      const source = (f.sourceRef as Moddle | undefined)?.id;
      if (target) incoming.set(target, (incoming.get(target) ?? 0) + 1);
      if (source) outgoingOf.set(source, [...(outgoingOf.get(source) ?? []), f]);
    }
    for (const el of all) {
      const id = el.id ?? null;
      checkAttributes(problems, el);
      switch (el.$type) {
        case 'bpmn:ScriptTask':
          problems.push({ elementId: id, message: 'ไม่อนุญาตงานสคริปต์เพราะจะรันโค้ดบนเซิร์ฟเวอร์ — Script tasks run code on the server and are not allowed; use a service task with a known topic or a user task.' });
          break;
        case 'bpmn:SequenceFlow': {
          const cond = el.conditionExpression as Bag | undefined;
          if (!cond) break;
          if (cond.language) problems.push({ elementId: id, message: `ไม่อนุญาตเงื่อนไขแบบสคริปต์ — Conditions in a script language (${String(cond.language)}) run code on the server; write an expression like \${approved}.` });
          else if (typeof cond.body !== 'string' || !expressionsIn(cond.body).length) problems.push({ elementId: id, message: 'A condition must be an expression such as ${outcome == \'approve\'}.' });
          else checkTemplate(problems, id, 'Condition', cond.body);
          break;
        }
        case 'bpmn:InclusiveGateway':
          if ((incoming.get(id ?? '') ?? 0) > 1) problems.push({ elementId: id, message: 'ไม่รองรับเกตเวย์แบบ inclusive ที่รวมเส้นทาง — An inclusive gateway that joins flows is not supported by the engine; join with a parallel or exclusive gateway.' });
          break;
        case 'bpmn:ExclusiveGateway': {
          const outgoing = outgoingOf.get(id ?? '') ?? [];
          const conditional = outgoing.filter((f) => f.conditionExpression);
          if (outgoing.length > 1 && !el.default && conditional.length > 0) {
            problems.push({ elementId: id, message: 'เกตเวย์นี้ต้องมีเส้นทางปริยาย — All conditions of this exclusive gateway can be false and it has no default flow: mark one outgoing flow as the default.' });
          }
          break;
        }
        case 'bpmn:UserTask': {
          const performer = [el.assignee, el.candidateUsers, el.candidateGroups].filter((v) => typeof v === 'string' && v.trim());
          if (!performer.length) problems.push({ elementId: id, message: 'งานนี้ยังไม่ระบุผู้ปฏิบัติ — A user task needs a performer: set assignee, candidate users or candidate groups.' });
          for (const [attr, value] of [['candidateUsers', el.candidateUsers], ['candidateGroups', el.candidateGroups]] as const) {
            if (typeof value !== 'string') continue;
            try {
              parsePerformers(value, attr === 'candidateUsers' ? 'user' : 'group', true);
            } catch (err) {
              problems.push({ elementId: id, message: `${attr}: ${(err as Error).message}` });
            }
          }
          for (const attr of ['dueDate', 'followUpDate'] as const) {
            const value = el[attr];
            if (typeof value === 'string' && !expressionsIn(value).length && !/^P/.test(value) && Number.isNaN(Date.parse(value))) {
              problems.push({ elementId: id, message: `${attr} must be an ISO-8601 date-time, a duration such as P3D, or an expression.` });
            }
          }
          for (const v of extensionValues(el)) {
            if (v.$type !== 'camunda:FormData') continue;
            for (const f of (v.fields as Moddle[] | undefined) ?? []) {
              if (!f.id) problems.push({ elementId: id, message: 'A form field has no id.' });
              if (f.type && !['string', 'long', 'boolean', 'date', 'enum'].includes(String(f.type))) problems.push({ elementId: id, message: `Form field ${f.id}: unknown type ${String(f.type)} (use string, long, boolean, date or enum).` });
            }
          }
          break;
        }
        case 'bpmn:ServiceTask':
        case 'bpmn:SendTask':
        case 'bpmn:BusinessRuleTask': {
          const topic = el.type === 'external' ? el.topic : undefined;
          const service = topic ? SERVICE_TOPICS[String(topic)] : undefined;
          if (!topic || !Object.hasOwn(SERVICE_TOPICS, String(topic)) || !service) {
            problems.push({ elementId: id, message: `งานบริการต้องเป็น external task ที่ระบบรู้จัก — A service task must be an external task (camunda:type="external") with a known topic: ${Object.keys(SERVICE_TOPICS).join(', ')}.` });
          } else if (service.shippedOnly && !(options.shipped && service.shippedOnly.includes(mainKey))) {
            // A designer's diagram could skip the steps that make such a topic safe (the destruction
            // committee): it runs only inside the process the product ships and deploys itself.
            problems.push({ elementId: id, message: `งานบริการ "${String(topic)}" ใช้ได้เฉพาะในกระบวนงานที่ระบบติดตั้งมา (${service.shippedOnly.join(', ')}) — The topic ${String(topic)} runs only in the process the product ships and deploys itself (${service.shippedOnly.join(', ')}); a deployed diagram cannot use it.` });
          }
          break;
        }
        case 'bpmn:CallActivity':
          if (!processIds.has(String(el.calledElement ?? ''))) problems.push({ elementId: id, message: `A call activity can only call a process in the same file; "${String(el.calledElement ?? '')}" is not one.` });
          break;
        case 'bpmn:ComplexGateway':
          problems.push({ elementId: id, message: 'Complex gateways are not supported.' });
          break;
      }
      const loop = el.loopCharacteristics as Bag | undefined;
      if (loop) {
        checkTemplate(problems, id, 'Multi-instance collection', loop.collection);
        // Camunda takes an expression or a bare variable name (the runtime reads it as ${name}).
        if (typeof loop.collection === 'string' && !expressionsIn(loop.collection).length && !/^\s*[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\s*$/.test(loop.collection)) {
          problems.push({ elementId: id, message: `camunda:collection "${loop.collection}" is neither an expression nor a variable name: write \${list} or list.` });
        }
        checkTemplate(problems, id, 'Loop cardinality', (loop.loopCardinality as Bag | undefined)?.body);
        checkTemplate(problems, id, 'Loop condition', (loop.loopCondition as Bag | undefined)?.body);
        const completion = loop.completionCondition as Bag | undefined;
        if (completion?.language) problems.push({ elementId: id, message: 'A completion condition in a script language runs code on the server; use an expression.' });
        else checkTemplate(problems, id, 'Completion condition', completion?.body);
      }
      for (const def of (el.eventDefinitions as Moddle[] | undefined) ?? []) {
        if (def.$type === 'bpmn:TimerEventDefinition') {
          const values = ['timeDuration', 'timeDate', 'timeCycle'].map((k) => (def[k] as Bag | undefined)?.body).filter((v) => v !== undefined);
          if (!values.some((v) => typeof v === 'string' && v.trim())) problems.push({ elementId: id, message: 'A timer needs a duration (P3D), a date or a cycle.' });
          for (const value of values) checkTemplate(problems, id, 'Timer', value);
        }
        if (def.$type === 'bpmn:MessageEventDefinition') {
          const ref = (def.messageRef as Moddle | undefined)?.id;
          if (!ref || !messageIds.has(ref)) problems.push({ elementId: id, message: 'A message event must refer to a message defined in the file.' });
        }
        if (def.$type === 'bpmn:ConditionalEventDefinition') {
          const cond = def.condition as Bag | undefined;
          if (cond?.language) problems.push({ elementId: id, message: 'A conditional event in a script language runs code on the server; use an expression.' });
          else checkTemplate(problems, id, 'Condition', cond?.body);
        }
      }
      for (const v of extensionValues(el)) {
        if (v.$type === 'camunda:InputOutput') {
          for (const p of [...((v.inputParameters as Moddle[]) ?? []), ...((v.outputParameters as Moddle[]) ?? [])]) {
            if ((p.definition as Moddle | undefined)?.$type === 'camunda:Script') problems.push({ elementId: id, message: `Parameter ${p.name}: scripts run code on the server; use a value or an expression.` });
            checkTemplate(problems, id, `Parameter ${p.name}`, p.value);
            checkNestedValues(problems, id, `Parameter ${p.name}`, p.definition as Moddle | undefined);
          }
          // The host maps inputs and outputs where Camunda does for these (scopes.ts); elsewhere they would be ignored.
          if (!IO_MAPPED.has(el.$type)) problems.push({ elementId: id, message: `ไม่รองรับ input/output parameters บน ${el.$type} — Input/output parameters on a ${el.$type.replace('bpmn:', '')} are not applied here; put them on a user task, service task, sub-process or call activity.` });
        }
        if (v.$type === 'camunda:In' || v.$type === 'camunda:Out') {
          const what = v.$type === 'camunda:In' ? 'camunda:in' : 'camunda:out';
          if (el.$type !== 'bpmn:CallActivity') problems.push({ elementId: id, message: `${what} belongs on a call activity.` });
          else if (v.businessKey !== undefined) problems.push({ elementId: id, message: `${what} businessKey is not supported: an instance's business key is the letter it carries; map the value as a variable instead (camunda:in source/target).` });
          else if (v.variables !== undefined ? v.variables !== 'all' : !v.target || (v.source === undefined && v.sourceExpression === undefined)) {
            problems.push({ elementId: id, message: `${what} needs variables="all", or a target with a source or a sourceExpression.` });
          }
          checkTemplate(problems, id, what, v.sourceExpression);
        }
        if (v.$type === 'camunda:ExecutionListener' || v.$type === 'camunda:TaskListener') {
          problems.push({ elementId: id, message: 'Execution and task listeners run code on the server and are not allowed.' });
        }
      }
    }
  }
  if (problems.length) return { problems };

  const main = executable[0];
  const serializer = Serializer(context as never, typeResolver());
  return { problems, parsed: { key: String(main.id), name: (main.name as string | undefined) ?? null, sourceContext: serializer.serialize() } };
}

export { typeResolver };
