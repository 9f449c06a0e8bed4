// One hydrated bpmn-engine instance and what happened in it during the current command.
// The host never decides anything; the runtime turns what was collected into rows.
import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import { deserialize } from 'moddle-context-serializer';
import { camundaModdle, typeResolver } from './bpmn';
import { engineExpressions } from './expressions';
import { DurableTimers } from './timers';
import './parallel-join';
import { unprocessable } from '../../lib/errors';
import { evaluateInputs, evaluateOutputs, expressionScope, hasOutputs, installScopes, newRegistry } from './scopes';

// Camunda's variable scopes and data mappings (sub-processes, multi-instance, call activities).
installScopes();

type Bag = Record<string, unknown>;

export interface WaitInfo {
  elementId: string;
  executionId: string;
  type: string;
  behaviour: Bag;
  content: Bag;
  isRecovered: boolean;
  /** The variables of the scope the activity runs in (a sub-process's, a called process's, the instance's). */
  variables?: Bag;
  /** A user task's camunda:inputParameter values (its local variables), when they evaluated. */
  inputs?: Bag;
}

export interface PendingService {
  executionId: string;
  elementId: string;
  topic: string;
  input: Bag;
  callback: (err: Error | null, output?: unknown) => void;
}

export interface Collector {
  waits: WaitInfo[];
  /** Execution ids of activities that ended, left or were discarded during the command. */
  ended: Set<string>;
  /** Those of them that were user tasks or could hold some (sub-processes): task rows may need closing. */
  endedTaskHolders: Set<string>;
  history: Array<{ elementId: string; elementType: string; event: string; at: Date }>;
  engineEnded: boolean;
  engineError: Error | null;
}

export const emptyCollector = (): Collector => ({ waits: [], ended: new Set(), endedTaskHolders: new Set(), history: [], engineEnded: false, engineError: null });

/** camunda:inputParameter values of an element (values, expressions, lists, maps) against the scope. */
export function inputParameters(behaviour: Bag, scope: Bag): Bag {
  return evaluateInputs(behaviour, scope);
}

/** A task's local variables (its input parameters) live in its scope under this name until it ends. */
const TASK_LOCALS = '_taskLocals';
const hasOwn = (o: Bag, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** Camunda accepts a bare variable name as a multi-instance collection (camunda:collection="items"). */
function collectionsAsExpressions(source: unknown): unknown {
  for (const a of ((source as { activities?: Array<{ behaviour?: Bag }> }).activities ?? [])) {
    const loop = (a.behaviour?.loopCharacteristics as { behaviour?: Bag } | undefined)?.behaviour;
    if (loop && typeof loop.collection === 'string' && /^\s*[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\s*$/.test(loop.collection)) loop.collection = `\${${loop.collection.trim()}}`;
  }
  return source;
}

/** Activity types whose end may leave a task row open: user tasks and what can contain them. */
const HOLDS_TASKS = new Set(['bpmn:UserTask', 'bpmn:SubProcess', 'bpmn:Transaction', 'bpmn:AdHocSubProcess', 'bpmn:CallActivity']);

const silent = { debug() {}, error() {}, warn() {} };
const silentLogger = () => silent;

export class EngineHost {
  readonly timers = new DurableTimers();
  readonly services = new Map<string, PendingService>();
  readonly engine: InstanceType<typeof Engine>;
  readonly listener = new EventEmitter();
  collector: Collector | null = null;
  version = 0;
  /** The instance's organisation and those above it, read once per hydration. */
  organisationIds: number[] | null = null;
  /** Group ids by key, as the instance's performers named them (looked up once per hydration). */
  readonly groupIds = new Map<string, number>();
  /** True when the last command of this engine left no open job rows (false: unknown, look). */
  noOpenJobs = false;
  /** Whether the instance has open incidents the host raised (stall, gateway): null, unknown — look. */
  openHostIncidents: boolean | null = null;

  constructor(
    readonly definitionId: number,
    sourceContextJson: unknown,
    name: string,
  ) {
    const services = this.services;
    const serviceExtension = (activity: { id: string; type: string; behaviour: Bag; environment: { variables: Bag } }) => {
      if (activity.behaviour?.type !== 'external' || !activity.behaviour.topic) return undefined;
      activity.behaviour.Service = function Service(act: { id: string; environment: { variables: Bag } }) {
        return {
          execute(message: { content: Bag }, callback: PendingService['callback']) {
            const executionId = String(message.content.executionId);
            const scope = expressionScope(act.environment.variables, message.content);
            services.set(executionId, { executionId, elementId: act.id, topic: String(activity.behaviour.topic), input: evaluateInputs(activity.behaviour, scope), callback });
          },
          discard(message?: { content?: Bag }) {
            if (message?.content?.executionId) services.delete(String(message.content.executionId));
          },
          stop() {},
        };
      };
      return undefined;
    };

    this.engine = new Engine({
      name,
      sourceContext: deserialize(collectionsAsExpressions(sourceContextJson) as never, typeResolver()),
      // Every environment clone of this engine carries it: the bookkeeping of its call activities.
      sarabanScopes: newRegistry(),
      expressions: engineExpressions,
      timers: this.timers,
      extensions: { saraban: serviceExtension },
      moddleOptions: { camunda: camundaModdle },
      // The engine's default logger makes a `debug` logger per element, each asking whether stderr is
      // a terminal: about 1% of a command's CPU, for output nobody reads.
      Logger: silentLogger,
    } as never);

    const history = (event: string) => (api: { id: string; type: string }) => {
      this.collector?.history.push({ elementId: api.id, elementType: api.type, event, at: new Date() });
    };
    const ended = (api: { type: string; executionId: string; content?: Bag; owner?: { environment?: { variables: Bag } } }) => {
      const executionId = String(api.content?.executionId ?? api.executionId);
      this.collector?.ended.add(executionId);
      if (HOLDS_TASKS.has(api.type)) this.collector?.endedTaskHolders.add(executionId);
      // A task's locals end with it, however it ended (a boundary event, its sub-process left).
      const variables = api.type === 'bpmn:UserTask' ? api.owner?.environment?.variables : undefined;
      const locals = variables?.[TASK_LOCALS] as Bag | undefined;
      if (variables && locals && hasOwn(locals, executionId)) {
        delete locals[executionId];
        if (!Object.keys(locals).length) delete variables[TASK_LOCALS];
      }
    };
    this.listener.on('activity.start', history('activity.start'));
    this.listener.on('activity.end', (api) => (history('activity.end')(api), ended(api)));
    this.listener.on('activity.leave', ended);
    this.listener.on('activity.discard', ended);
    // A multi-instance iteration that takes a signal reports only that it consumed it.
    this.listener.on('activity.consumed', ended);
    this.listener.on('activity.wait', (api: { id: string; type: string; executionId: string; content: Bag; owner: { behaviour: Bag; environment?: { variables: Bag } } }) => {
      const variables = api.owner?.environment?.variables;
      const executionId = String(api.content.executionId ?? api.executionId);
      let inputs: Bag | undefined;
      if (api.type === 'bpmn:UserTask' && variables && !api.content.isRecovered) {
        // Camunda maps a task's inputs when it starts: they are its local variables until it ends.
        try {
          // An iteration of a multi-instance task: its element variable and loopCounter are its locals.
          const iteration: Bag = {};
          if (api.content.isMultiInstance && typeof api.content.index === 'number') {
            const loop = (api.owner.behaviour?.loopCharacteristics as { behaviour?: Bag } | undefined)?.behaviour;
            const name = typeof loop?.elementVariable === 'string' ? loop.elementVariable : null;
            if (name && hasOwn(api.content, name)) iteration[name] = api.content[name];
            iteration.loopCounter = api.content.index;
          }
          inputs = { ...iteration, ...evaluateInputs(api.owner.behaviour, expressionScope(variables, { ...api.content, ...iteration })) };
          if (Object.keys(inputs).length) ((variables[TASK_LOCALS] ??= {}) as Bag)[executionId] = inputs;
        } catch {
          inputs = undefined; // the task cannot be prepared: creating its row says why (422)
        }
      }
      this.collector?.waits.push({
        variables,
        inputs,
        elementId: api.id,
        executionId: String(api.content.executionId ?? api.executionId),
        type: api.type,
        behaviour: api.owner?.behaviour ?? {},
        content: api.content,
        isRecovered: Boolean(api.content.isRecovered),
      });
    });
    this.engine.on('end', () => {
      if (this.collector) this.collector.engineEnded = true;
    });
    this.engine.on('error', (err: Error) => {
      if (this.collector) this.collector.engineError = err;
    });
  }

  async start(variables: Bag): Promise<void> {
    await this.engine.execute({ listener: this.listener, variables } as never);
    await this.settle();
  }

  async recover(state: unknown): Promise<void> {
    this.engine.recover(state as never);
    await this.engine.resume({ listener: this.listener } as never);
    await this.settle();
  }

  /** Lets synchronous consequences of a signal run out (services are deferred to jobs). */
  async settle(): Promise<void> {
    for (let i = 0; i < 20; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.engine.activityStatus !== 'executing' || this.services.size > 0) return;
    }
  }

  /** The process instance's variables (the root scope). */
  variables(): Bag {
    const execution = this.engine.execution as unknown as { definitions?: Array<{ getProcesses(): Array<{ isExecutable?: boolean; environment: { variables: Bag } }> }> } | undefined;
    const processes = execution?.definitions?.[0]?.getProcesses() ?? [];
    const process = processes.find((p) => p.isExecutable) ?? processes[0];
    return process?.environment.variables ?? (this.engine.environment.variables as Bag);
  }

  /** A waiting activity (by element and execution id, inside sub-processes and called processes too):
   * the variables of its scope and its definition. */
  activity(elementId: string, executionId: string): { variables: Bag; behaviour: Bag; signal?: (message: Bag) => void } | undefined {
    type Api = { id: string; executionId: string; owner: { isSubProcess?: boolean; behaviour?: Bag; environment: { variables: Bag } }; getPostponed(): Api[]; signal(message: Bag): void };
    const execution = this.engine.execution as unknown as { getPostponed(): Api[] } | undefined;
    const matches = (api: Api) => api.id === elementId && (api.executionId === executionId || executionId.startsWith(`${api.executionId}_`));
    // A sub-process lists itself (each iteration's message) before the activities inside it.
    const seen = new Set<string>();
    const walk = (apis: Api[]): Api | undefined => {
      for (const api of apis) {
        if (matches(api)) return api;
        const key = `${api.id}\u0000${api.executionId}`;
        if (api.owner?.isSubProcess && !seen.has(key)) {
          seen.add(key);
          const inner = walk(api.getPostponed());
          if (inner) return inner;
        }
      }
      return undefined;
    };
    const found = walk(execution?.getPostponed() ?? []);
    if (!found) return undefined;
    return { variables: found.owner.environment.variables, behaviour: found.owner.behaviour ?? {}, signal: found.executionId === executionId ? (message: Bag) => found.signal(message) : undefined };
  }

  /**
   * Camunda's complete(variables) of a task or an external task: each variable is set where it
   * exists (the task's locals, then up the scope chain), else on the process instance; then the
   * task's camunda:outputParameter values are set in its scope the same way.
   */
  completeActivity(elementId: string, executionId: string, values: Bag, locals?: Bag): void {
    const found = this.activity(elementId, executionId);
    const variables = found?.variables ?? this.variables();
    const store = variables[TASK_LOCALS] as Record<string, Bag> | undefined;
    const own = { ...(store?.[executionId] ?? {}), ...(locals ?? {}) };
    for (const [name, value] of Object.entries(values)) {
      if (hasOwn(own, name)) own[name] = value;
      else variables[name] = value;
    }
    if (found && hasOutputs(found.behaviour)) {
      let outputs: Bag;
      try {
        outputs = evaluateOutputs(found.behaviour, expressionScope(variables, own));
      } catch (err) {
        throw unprocessable(`The output parameters of "${elementId}" could not be evaluated: ${(err as Error).message}`, [{ elementId, message: (err as Error).message }]);
      }
      Object.assign(variables, outputs);
    }
    if (store && hasOwn(store, executionId)) {
      delete store[executionId];
      if (!Object.keys(store).length) delete variables[TASK_LOCALS];
    }
  }

  signal(elementId: string, executionId: string): void {
    // Straight to the waiting activity: a signal sent to the whole instance is taken by every
    // activity of that id (bpmn-elements matches id OR execution id), so completing one iteration's
    // task of a parallel multi-instance sub-process would complete all of them.
    const target = this.activity(elementId, executionId)?.signal;
    if (target) return target({ id: elementId, executionId });
    (this.engine.execution as unknown as { signal(m: Bag): void }).signal({ id: elementId, executionId });
  }

  /** Delivers a BPMN message (by message id or name) to whatever waits for it. */
  message(messageId: string): void {
    (this.engine.execution as unknown as { signal(m: Bag): void }).signal({ id: messageId });
  }

  /** Engine state without the embedded source: instances never carry the XML. */
  async state(): Promise<string> {
    const state = (await this.engine.getState()) as { definitions: Array<Bag> };
    for (const d of state.definitions) delete d.source;
    return JSON.stringify(state);
  }

  get ended(): boolean {
    return this.engine.state === 'idle' && this.collector?.engineEnded === true;
  }

  stop(): void {
    try {
      void this.engine.stop();
    } catch {
      // an engine that failed may refuse to stop; it is dropped either way
    }
  }
}
