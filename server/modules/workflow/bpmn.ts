// Parsing and validating BPMN at deploy time. Every refusal names the element, so the modeler
// can mark it. A definition that passes is serialised once (the `sourceContext` instances reuse).
import { BpmnModdle } from 'bpmn-moddle';
import * as elements from 'bpmn-elements';
import Serializer, { TypeResolver } from 'moddle-context-serializer';
import { ISOInterval, getDate } from '@0dep/piso';
import { checkExpression, expressionsIn, ExpressionError } from './expressions';
import { parsePerformers } from './performers';
import { formDataProblems } from './forms';
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
  /** What deploys but is ignored (unknown vendor attributes, diagram-only references…). */
  warnings: ElementProblem[];
}

/** An element as bpmn-moddle reads it. */
export type Moddle = { $type: string; id?: string; name?: string; [k: string]: unknown };
type Bag = Record<string, unknown>;

const typeResolver = () => TypeResolver(elements as never);

/**
 * The XML as the server reads and keeps it. It arrives as text in a JSON body: already Unicode, so
 * an encoding declaration from the file it came from (ISO-8859-1, windows-874, from older tools'
 * exports) no longer says anything true about it. It is made to say UTF-8 — which is how the server
 * stores and serves it — instead of the parser "falling back" and the deployment being refused.
 */
export function normaliseXmlDeclaration(xml: string): string {
  return xml.replace(/^(\uFEFF?\s*<\?xml\b[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2/, '$1$2UTF-8$2');
}

/**
 * A process id (the key a process deploys under) as the modeler's properties panel and Camunda
 * accept it: an XML NCName in ASCII (a letter or "_" first, then letters, digits, "_", "-", "."),
 * at most 128 characters (the key column). The key goes into addresses and file names too.
 */
export const PROCESS_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;

/** Why a process id cannot be a key (Thai, then English), or null when it can. */
export function processKeyProblem(id: unknown): string | null {
  if (typeof id === 'string' && PROCESS_KEY.test(id)) return null;
  const shown = typeof id === 'string' && id ? `"${id.slice(0, 140)}"` : '(ว่าง)';
  return `รหัสกระบวนงาน ${shown} ใช้ไม่ได้: ต้องขึ้นต้นด้วยอักษรอังกฤษหรือ _ ตามด้วยอักษรอังกฤษ ตัวเลข _ - หรือ . ไม่เกิน 128 ตัว ไม่มีช่องว่าง — The process id must be an XML NCName in ASCII (a letter or "_" first, then letters, digits, "_", "-" or "."), at most 128 characters.`;
}

/** The reader's refusal of an id (not an NCName, or used twice), in words a designer reads, naming the id. */
function idProblem(w: { message: string; error?: { message?: string } }): ElementProblem | null {
  const nested = w.error?.message ?? w.message;
  const illegal = /illegal ID <(.*)>/.exec(nested);
  if (illegal) {
    const id = illegal[1];
    return {
      elementId: id,
      message: /<(\w+:)?process>/.test(w.message)
        ? processKeyProblem(id)!
        : `รหัสองค์ประกอบ "${id}" ใช้ไม่ได้: ต้องขึ้นต้นด้วยอักษรหรือ _ และไม่มีช่องว่าง — "${id}" is not a valid XML id (NCName).`,
    };
  }
  const duplicate = /duplicate ID <(.*)>/.exec(nested);
  if (duplicate) return { elementId: duplicate[1], message: `รหัส "${duplicate[1]}" ซ้ำกับองค์ประกอบอื่นในแผนภาพ — The id "${duplicate[1]}" is used by more than one element.` };
  return null;
}

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
          ? `นิพจน์ \${${expr}} ใช้สิ่งที่ไม่อนุญาต — ${what}: the expression \${${expr}} is not allowed: ${message}`
          : `นิพจน์ \${${expr}} ไม่ถูกต้อง — ${what}: the expression \${${expr}} does not parse (${message}).`,
      });
    }
  }
}

// Namespaces of BPMN itself: what the parser does not understand there is a broken file.
const BPMN_PREFIXES = new Set(['', 'bpmn', 'bpmn2', 'bpmndi', 'dc', 'di', 'xsi']);
// Elements the runtime never reads: a dangling reference in them changes nothing that runs.
const DIAGRAM_ONLY = new Set(['bpmn:Association', 'bpmn:TextAnnotation', 'bpmn:Group', 'bpmn:DataStoreReference', 'bpmn:DataObjectReference', 'bpmn:Participant', 'bpmn:MessageFlow', 'bpmn:CategoryValue']);

/**
 * A parser warning that changes nothing at run time, as a warning to give back with the
 * deployment, or null when it is a problem. Camunda 7 ignores attributes and extension elements it
 * does not know (camunda:historyTimeToLive on <definitions>, another vendor's metadata), and the
 * diagram interchange is drawing only.
 */
function harmlessWarning(w: { message: string; element?: Moddle }): ElementProblem | null {
  const message = w.message.split('\n')[0];
  const elementId = w.element?.id ?? null;
  const attribute = /^unknown attribute <(?:([^:>]*):)?([^>]+)>/.exec(message);
  if (attribute && !BPMN_PREFIXES.has(attribute[1] ?? '')) {
    return { elementId, message: `${attribute[1]}:${attribute[2]} ถูกละไว้ — is not an attribute the server (or Camunda 7, on ${w.element?.$type ?? 'this element'}) acts on; it is ignored.` };
  }
  const content = /^unparsable content <([^:>]+):([^>]+)>/.exec(message);
  if (content && !BPMN_PREFIXES.has(content[1])) return { elementId, message: `<${content[1]}:${content[2]}> ถูกละไว้ — is not an extension the server (or Camunda 7) acts on; it is ignored.` };
  const reference = /^unresolved reference <([^>]+)>/.exec(message);
  if (reference && w.element && (w.element.$type.startsWith('bpmndi:') || DIAGRAM_ONLY.has(w.element.$type))) {
    return { elementId, message: `${w.element.$type} refers to "${reference[1]}", which is not in the file; it is drawing only and is ignored.` };
  }
  return null;
}

// Camunda 7 attributes that tune Camunda's own job executor, history and tasklist: nothing here
// does what they ask, and nothing runs differently without them.
const ASYNC = 'the server has no asynchronous continuations (every step is committed when the instance waits)';
const UNHONOURED: Record<string, string> = {
  historyTimeToLive: 'the server keeps the history of every instance (no history clean-up)',
  versionTag: 'versions are numbered at deploy (no version tags)',
  jobPriority: 'the server has no job priorities',
  taskPriority: 'the server has no external-task priorities',
  isStartableInTasklist: 'the server has no Camunda Tasklist',
  asyncBefore: ASYNC,
  asyncAfter: ASYNC,
  exclusive: ASYNC,
};

function unhonoured(warnings: ElementProblem[], el: Moddle) {
  for (const [attr, why] of Object.entries(UNHONOURED)) {
    // Only what the diagram writes: the parser also answers with Camunda's defaults.
    if (!Object.hasOwn(el, attr) || el[attr] === undefined) continue;
    warnings.push({ elementId: el.id ?? null, message: `camunda:${attr} ถูกละไว้ — ${why}; it is ignored.` });
  }
}

/** Processes the product starts from its own routes (a letter registered, forwarded, circulated, a
 * destruction list approved), never from POST /api/workflow/instances where starters are checked. */
export const STARTED_BY_THE_PRODUCT = new Set(['incoming_letter', 'circular_letter', 'forward_letter', 'document_destruction']);

/** A camunda:candidateStarterGroups / candidateStarterUsers entry, as POST /workflow/instances checks it. */
export const STARTER_GROUP = /^(?:group:)?([a-z0-9][a-z0-9._-]*)$/i;
export const STARTER_USER = /^(?:user:)?([a-z0-9][a-z0-9._-]*)$/i;

/** Who may start the process (Camunda's candidate starters): only lists the server checks exactly. */
function checkStarters(problems: ElementProblem[], process: Moddle) {
  const id = process.id ?? null;
  for (const [attr, pattern, what] of [['candidateStarterGroups', STARTER_GROUP, 'group keys (or ids)'], ['candidateStarterUsers', STARTER_USER, 'user names (or ids)']] as const) {
    const value = process[attr];
    if (value === undefined || value === null) continue;
    const text = String(value);
    if (STARTED_BY_THE_PRODUCT.has(String(id))) {
      problems.push({ elementId: id, message: `camunda:${attr} ใช้ไม่ได้กับกระบวนงานนี้ — The process "${id}" is started by the product itself (from a letter or a destruction list), not by POST /api/workflow/instances: camunda:${attr} would not be checked there. Remove it.` });
      continue;
    }
    const entries = text.split(',').map((e) => e.trim());
    const wrong = expressionsIn(text).length ? [text] : entries.filter((e) => !pattern.test(e));
    if (wrong.length || !entries.some(Boolean)) {
      problems.push({ elementId: id, message: `camunda:${attr} "${text}" ไม่ถูกต้อง — write a comma-separated list of ${what}, without expressions; "${wrong[0] ?? text}" is not one.` });
    }
  }
}

/** A literal timer value, read the way the engine will read it (an expression is checked as one). */
function checkTimer(problems: ElementProblem[], elementId: string | null, kind: string, value: string) {
  const text = value.trim();
  if (!text || expressionsIn(text).length) return;
  if (kind === 'timeCycle' && (/\s/.test(text) || /[*?]/.test(text))) {
    problems.push({ elementId, message: `ไม่รองรับ cron — A Quartz cron cycle ("${text}") is not supported: write the cycle in ISO 8601, e.g. R/P1D (every day), R/PT1H (every hour) or R3/PT10H (three times, ten hours apart).` });
    return;
  }
  try {
    if (kind === 'timeDate') {
      if (Number.isNaN(getDate(text).getTime())) throw new Error('not a date');
    } else new ISOInterval(text).parse();
  } catch (err) {
    const example = kind === 'timeDate' ? 'an ISO 8601 date-time such as 2026-01-31T09:00:00+07:00' : kind === 'timeCycle' ? 'an ISO 8601 cycle such as R/P1D' : 'an ISO 8601 duration such as P3D or PT4H';
    problems.push({ elementId, message: `${kind} "${text}" is not ${example} (${(err as Error).message}).` });
  }
}

/** `x` and `!x` (or `not x`): one of the two conditions always holds. */
function complementary(conditions: string[]): boolean {
  const core = (c: string) => {
    const parts = expressionsIn(c);
    return parts.length === 1 ? parts[0].replace(/\s+/g, ' ').trim() : null;
  };
  const negated = (e: string) => /^(?:!|not\b)\s*(.+)$/.exec(e)?.[1].replace(/^\((.*)\)$/, '$1').trim() ?? null;
  const exprs = conditions.map(core);
  if (exprs.some((e) => e === null)) return false;
  return exprs.some((a) => exprs.some((b) => negated(b!) === a));
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

export async function parseAndValidate(xml: string, options: ValidateOptions = {}): Promise<{ problems: ElementProblem[]; warnings: ElementProblem[]; parsed?: ParsedDefinition }> {
  const problems: ElementProblem[] = [];
  const warnings: ElementProblem[] = [];
  if (!xml || !xml.trim()) return { problems: [{ elementId: null, message: 'ไม่มีเนื้อหา BPMN — The BPMN XML is empty.' }], warnings };
  let context: Awaited<ReturnType<typeof readBpmn>>;
  try {
    context = await readBpmn(normaliseXmlDeclaration(xml));
  } catch (err) {
    return { problems: [{ elementId: null, message: `ไฟล์ไม่ใช่ BPMN 2.0 ที่ถูกต้อง — The XML is not well-formed BPMN 2.0: ${(err as Error).message.split('\n')[0]}` }], warnings };
  }
  for (const w of context.warnings ?? []) {
    const harmless = harmlessWarning(w);
    if (harmless) warnings.push(harmless);
    else problems.push(idProblem(w) ?? { elementId: w.element?.id ?? null, message: `Not understood: ${w.message.split('\n')[0]}` });
  }

  const root = context.rootElement;
  const processes = processesOf(root);
  const executable = processes.filter((p) => p.isExecutable);
  if (executable.length === 0) return { warnings, problems: [...problems, { elementId: processes[0]?.id ?? null, message: 'ไม่มีกระบวนงานที่ทำงานได้ — There is no executable process (set isExecutable="true").' }] };
  if (executable.length > 1) {
    return { warnings, problems: [...problems, ...executable.slice(1).map((p) => ({ elementId: p.id ?? null, message: 'Only one executable process per file: each would start with every instance.' }))] };
  }
  const processIds = new Set(processes.map((p) => p.id));
  const messageIds = new Set(((root.rootElements as Moddle[]) ?? []).filter((e) => e.$type === 'bpmn:Message').map((m) => m.id));
  // Messages, signals, errors and escalations: the engine resolves their names and codes.
  for (const e of (root.rootElements as Moddle[]) ?? []) if (e.$type !== 'bpmn:Process') checkAttributes(problems, e);
  const mainKey = String(executable[0].id);
  const keyProblem = processKeyProblem(executable[0].id);
  if (keyProblem) problems.push({ elementId: executable[0].id ?? null, message: keyProblem });

  checkStarters(problems, executable[0]);

  for (const process of processes) {
    unhonoured(warnings, process);
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
      unhonoured(warnings, el);
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
          // Camunda runs a gateway without a default flow; when no condition holds, the instance
          // stops there with an incident naming the gateway. Say so unless one always holds.
          const bodies = conditional.map((f) => (f.conditionExpression as Bag).body).filter((b): b is string => typeof b === 'string');
          if (outgoing.length > 1 && !el.default && conditional.length > 0 && !(conditional.length === outgoing.length && complementary(bodies))) {
            warnings.push({ elementId: id, message: 'เกตเวย์นี้ไม่มีเส้นทางปริยาย — No default flow: when none of the conditions holds, the instance stops here with an incident. Mark one outgoing flow as the default if some path should always be taken.' });
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
          problems.push(...formDataProblems(el));
          break;
        }
        case 'bpmn:StartEvent':
          problems.push(...formDataProblems(el));
          break;
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
        // Camunda's counters are not variables here: the condition would never hold (a silent difference).
        const counter = typeof completion?.body === 'string' ? /\bnrOf(?:Active|Completed)?Instances\b/.exec(completion.body) : null;
        if (counter) problems.push({ elementId: id, message: `${counter[0]} ใช้ไม่ได้ — Camunda's multi-instance counter ${counter[0]} is not available to a completion condition here; set a variable when a task is completed (\${objected == true}) and test that.` });
      }
      for (const def of (el.eventDefinitions as Moddle[] | undefined) ?? []) {
        if (def.$type === 'bpmn:TimerEventDefinition') {
          const values = ['timeDuration', 'timeDate', 'timeCycle'].map((k) => (def[k] as Bag | undefined)?.body).filter((v) => v !== undefined);
          if (!values.some((v) => typeof v === 'string' && v.trim())) problems.push({ elementId: id, message: 'A timer needs a duration (P3D), a date or a cycle.' });
          for (const value of values) checkTemplate(problems, id, 'Timer', value);
          for (const kind of ['timeDuration', 'timeDate', 'timeCycle']) {
            const value = (def[kind] as Bag | undefined)?.body;
            if (typeof value === 'string') checkTimer(problems, id, kind, value);
          }
        }
        if (def.$type === 'bpmn:MessageEventDefinition') {
          const ref = (def.messageRef as Moddle | undefined)?.id;
          if (!ref || !messageIds.has(ref)) problems.push({ elementId: id, message: 'A message event must refer to a message defined in the file.' });
        }
        if (def.$type === 'bpmn:ConditionalEventDefinition') {
          const cond = def.condition as Bag | undefined;
          if (cond?.language) problems.push({ elementId: id, message: 'A conditional event in a script language runs code on the server; use an expression.' });
          else checkTemplate(problems, id, 'Condition', cond?.body);
          // Only the intermediate catch event is evaluated again when variables change (conditional-events.ts).
          if (el.$type === 'bpmn:BoundaryEvent' || el.$type === 'bpmn:StartEvent') {
            problems.push({ elementId: id, message: `ไม่รองรับเหตุการณ์เงื่อนไขแบบ${el.$type === 'bpmn:StartEvent' ? 'เริ่มต้น' : 'ติดขอบงาน'} — A conditional ${el.$type === 'bpmn:StartEvent' ? 'start' : 'boundary'} event is not supported: draw an intermediate conditional catch event on a parallel branch (it waits until the condition holds, evaluated after every change of variables), or an exclusive gateway after the task.` });
          }
          if (def.variableName || def.variableEvents) problems.push({ elementId: id, message: 'camunda:variableName and camunda:variableEvents are not supported: the condition is evaluated after every change of variables; remove them.' });
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
  if (problems.length) return { problems, warnings };

  const main = executable[0];
  const serializer = Serializer(withoutMessageFlows(context) as never, typeResolver());
  return { problems, warnings, parsed: { key: String(main.id), name: (main.name as string | undefined) ?? null, sourceContext: serializer.serialize(), warnings } };
}

/**
 * The context the engine is built from, without message flows. Camunda 7 executes no message flow:
 * it is documentation between pools, and messages reach an instance through the API. bpmn-elements
 * would wire each one (and the serializer cannot even map one that touches a collapsed pool or
 * starts inside a sub-process: "Cannot read properties of undefined"). The parsed elements are not
 * changed: each collaboration is seen through an object that hides its message flows.
 */
function withoutMessageFlows(context: Awaited<ReturnType<typeof readBpmn>>) {
  const root = context.rootElement;
  const rootElements = ((root.rootElements as Moddle[]) ?? []).map((e) => (e.$type === 'bpmn:Collaboration' ? Object.create(e, { messageFlows: { value: [] } }) : e));
  return { ...context, rootElement: Object.create(root, { rootElements: { value: rootElements } }) };
}

export { typeResolver };
