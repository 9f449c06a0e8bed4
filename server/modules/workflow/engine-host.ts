// One hydrated bpmn-engine instance and what happened in it during the current command.
// The host never decides anything; the runtime turns what was collected into rows.
import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import { deserialize } from 'moddle-context-serializer';
import { camundaModdle, typeResolver } from './bpmn';
import { engineExpressions, resolveTemplate } from './expressions';
import { DurableTimers } from './timers';
import './parallel-join';

type Bag = Record<string, unknown>;

export interface WaitInfo {
  elementId: string;
  executionId: string;
  type: string;
  behaviour: Bag;
  content: Bag;
  isRecovered: boolean;
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

/** camunda:inputParameter values of an element, expressions resolved against the scope. */
export function inputParameters(behaviour: Bag, scope: Bag): Bag {
  const out: Bag = {};
  const values = (behaviour.extensionElements as { values?: Bag[] } | undefined)?.values ?? [];
  for (const v of values) {
    if (v.$type !== 'camunda:InputOutput') continue;
    for (const p of (v.inputParameters as Bag[] | undefined) ?? []) out[String(p.name)] = resolveTemplate(p.value, scope);
  }
  return out;
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
            const scope = { ...act.environment.variables, ...message.content, variables: act.environment.variables };
            services.set(executionId, { executionId, elementId: act.id, topic: String(activity.behaviour.topic), input: inputParameters(activity.behaviour, scope), callback });
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
      sourceContext: deserialize(sourceContextJson as never, typeResolver()),
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
    const ended = (api: { type: string; executionId: string; content?: Bag }) => {
      const executionId = String(api.content?.executionId ?? api.executionId);
      this.collector?.ended.add(executionId);
      if (HOLDS_TASKS.has(api.type)) this.collector?.endedTaskHolders.add(executionId);
    };
    this.listener.on('activity.start', history('activity.start'));
    this.listener.on('activity.end', (api) => (history('activity.end')(api), ended(api)));
    this.listener.on('activity.leave', ended);
    this.listener.on('activity.discard', ended);
    // A multi-instance iteration that takes a signal reports only that it consumed it.
    this.listener.on('activity.consumed', ended);
    this.listener.on('activity.wait', (api: { id: string; type: string; executionId: string; content: Bag; owner: { behaviour: Bag } }) => {
      this.collector?.waits.push({
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

  /** The process's variables (shared by its activities). */
  variables(): Bag {
    const execution = this.engine.execution as unknown as { definitions?: Array<{ getProcesses(): Array<{ environment: { variables: Bag } }> }> } | undefined;
    const process = execution?.definitions?.[0]?.getProcesses()?.[0];
    return process?.environment.variables ?? (this.engine.environment.variables as Bag);
  }

  signal(elementId: string, executionId: string): void {
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
