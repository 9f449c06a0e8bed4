// Camunda 7's variable scopes on top of bpmn-elements, and its data mappings.
//
// bpmn-elements runs an embedded sub-process on a COPY of the variables taken when it starts:
// what a task completed later sets is invisible inside it, and what a task inside it sets never
// reaches the gateway after it. Camunda has one tree of scopes instead: the process instance at
// the root, each sub-process execution (each multi-instance iteration) a scope below it holding
// only its LOCAL variables. Reading a name looks up the chain; `setVariable` sets the name where it
// already exists up the chain, else on the process instance. Here every sub-process environment
// gets such a scope (its variables object becomes a view over its locals and its parent's
// variables), so every reader and writer of `environment.variables` — the engine's gateways and
// loops, the host's tasks and services — follows Camunda's rules without knowing it.
//
// The data mappings Camunda documents are applied at the same points: camunda:inputOutput on a
// sub-process (inputs are its locals, outputs go up when it completes), on a task (see
// taskLocals / completeInScope), the multi-instance element variable and loopCounter (locals of
// each iteration), and a call activity's camunda:in / camunda:out (the called process starts with
// the mapped variables only; the mapped ones come back when it ends).
//
// bpmn-elements has no hook for any of this, so four of its prototypes are wrapped, once, when
// this module loads; the per-engine bookkeeping lives in the engine's environment options (which
// every environment clone of that engine carries).
import { resolveTemplate } from './expressions';

type Bag = Record<string, unknown>;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tasks = require('bpmn-elements/tasks') as Record<string, { prototype: Bag }>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const elements = require('bpmn-elements') as Record<string, { prototype: Bag }>;

const kVariables = Symbol.for('variables');

export interface Env {
  variables: Bag;
  settings: Bag;
  output: Bag;
  options?: Bag;
  getState(): Bag;
  recover(state?: Bag): Env;
  [kVariables]: Bag;
}

/** What one engine keeps for its call activities: the called processes' environments by execution id. */
export interface ScopeRegistry {
  processes: Map<string, Env>;
  callInputs: Map<string, Bag>;
}

export const newRegistry = (): ScopeRegistry => ({ processes: new Map(), callInputs: new Map() });
const registryOf = (env: Env | undefined): ScopeRegistry | undefined => env?.options?.sarabanScopes as ScopeRegistry | undefined;

// The engine writes the execute message's parts into an execution's variables: they belong to
// that execution alone.
const ALWAYS_LOCAL = new Set(['fields', 'content', 'properties']);
// The host's own variables: who started the instance, who did the last step, the letter. A called
// process needs them to find its performers and title its tasks, as Camunda's engine knows its
// initiator and business key; they are not a designer's variables.
export const HOST_VARIABLES = ['document', 'initiator', '_initiator', '_lastPerformer'];

const hasOwn = (o: Bag, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** Makes `env` a scope below `parent`: its variables are `locals` over the parent's. */
export function makeScope(env: Env, parent: Env, locals: Bag): Bag {
  const local: Bag = { ...locals };
  const above = () => parent.variables;
  const proxy = new Proxy(local, {
    get: (_t, key) => (typeof key === 'symbol' ? undefined : hasOwn(local, key) ? local[key] : above()[key]),
    // Camunda's setVariable: where the name exists (here or up the chain), else on the process instance.
    set: (_t, key, value) => {
      if (typeof key === 'symbol') return false;
      if (hasOwn(local, key)) local[key] = value;
      else above()[key] = value;
      return true;
    },
    has: (_t, key) => typeof key === 'string' && (hasOwn(local, key) || hasOwn(above(), key)),
    ownKeys: () => [...new Set([...Object.keys(above()), ...Object.keys(local)])],
    getOwnPropertyDescriptor: (_t, key) => {
      if (typeof key !== 'string') return undefined;
      if (hasOwn(local, key)) return Reflect.getOwnPropertyDescriptor(local, key);
      if (hasOwn(above(), key)) return { value: above()[key], writable: true, enumerable: true, configurable: true };
      return undefined;
    },
    defineProperty: (_t, key, descriptor) => {
      if (typeof key === 'symbol') return false;
      proxy[key] = descriptor.value;
      return true;
    },
    deleteProperty: (_t, key) => {
      if (typeof key === 'symbol') return false;
      if (hasOwn(local, key)) delete local[key];
      else delete above()[key];
      return true;
    },
  });
  Object.defineProperty(env, kVariables, {
    configurable: true,
    get: () => proxy,
    // assignVariables() spreads what the view shows and adds the execute message: keep only what
    // is new or already local, the rest is the chain's own.
    set: (value: Bag) => {
      for (const key of Object.keys(value ?? {})) if (ALWAYS_LOCAL.has(key) || hasOwn(local, key) || !hasOwn(above(), key)) local[key] = value[key];
    },
  });
  // Saved state holds the locals alone: the rest is saved with the scope that owns it.
  env.getState = () => ({ settings: { ...env.settings }, variables: { ...local }, output: { ...env.output }, scoped: true });
  env.recover = (state?: Bag) => {
    if (!state) return env;
    if (state.settings) Object.assign(env.settings, state.settings);
    if (state.variables) Object.assign(local, state.variables);
    if (state.output) Object.assign(env.output, state.output);
    return env;
  };
  return proxy;
}


type Extension = { $type?: string; [k: string]: unknown };
const extensionValues = (behaviour: Bag | undefined): Extension[] => ((behaviour?.extensionElements as { values?: Extension[] } | undefined)?.values ?? []);

/** A camunda:inputParameter / outputParameter value: text or expression, a list, or a map. */
function parameterValue(p: Extension, scope: Bag): unknown {
  const definition = p.definition as Extension | undefined;
  if (!definition) return p.value === undefined ? null : resolveTemplate(p.value, scope);
  if (definition.$type === 'camunda:List') return ((definition.items as Extension[] | undefined) ?? []).map((item) => valueOf(item, scope));
  if (definition.$type === 'camunda:Map') {
    const out: Bag = {};
    for (const entry of (definition.entries as Extension[] | undefined) ?? []) out[String(entry.key)] = entry.definition ? valueOf(entry.definition as Extension, scope) : resolveTemplate(entry.value ?? null, scope);
    return out;
  }
  return null;
}

function valueOf(item: Extension, scope: Bag): unknown {
  if (item.$type === 'camunda:List' || item.$type === 'camunda:Map') return parameterValue({ definition: item }, scope);
  return resolveTemplate(item.value ?? null, scope);
}

function parameters(behaviour: Bag | undefined, kind: 'inputParameters' | 'outputParameters'): Extension[] {
  const out: Extension[] = [];
  for (const v of extensionValues(behaviour)) if (v.$type === 'camunda:InputOutput') out.push(...((v[kind] as Extension[] | undefined) ?? []));
  return out;
}

/** An element's camunda:inputParameter values, evaluated in order (a later one may use an earlier). */
export function evaluateInputs(behaviour: Bag | undefined, scope: Bag): Bag {
  const out: Bag = {};
  const view = new Proxy(out, { get: (_t, key) => (typeof key === 'string' && hasOwn(out, key) ? out[key] : scope[key as string]), has: (_t, key) => typeof key === 'string' && (hasOwn(out, key) || key in scope) });
  for (const p of parameters(behaviour, 'inputParameters')) out[String(p.name)] = parameterValue(p, view);
  return out;
}

/** An element's camunda:outputParameter values, evaluated against its own scope. */
export function evaluateOutputs(behaviour: Bag | undefined, scope: Bag): Bag {
  const out: Bag = {};
  for (const p of parameters(behaviour, 'outputParameters')) out[String(p.name)] = parameterValue(p, scope);
  return out;
}

export const hasOutputs = (behaviour: Bag | undefined) => parameters(behaviour, 'outputParameters').length > 0;

/** Reads a scope as a plain object an expression can see (`${x}` reads x wherever it lives). */
export const expressionScope = (variables: Bag, extra: Bag = {}): Bag => ({ ...variables, ...extra, variables });

// ---------------------------------------------------------------- call activities

type Mapping = { $type?: string; source?: string; sourceExpression?: string; target?: string; variables?: string; local?: boolean | string };
const mappings = (behaviour: Bag | undefined, type: 'camunda:In' | 'camunda:Out'): Mapping[] => extensionValues(behaviour).filter((v) => v.$type === type) as Mapping[];
const isLocal = (m: Mapping) => m.local === true || m.local === 'true';
const brokerSafeId = (id: string) => id.replace(/[./\\#*:\s]/g, '_');
// variables="all" copies the designer's variables: not the execution's message parts, nor the host's
// own `_…` bookkeeping (a task's locals, the last performer), which would overwrite the caller's.
const designerVariables = (variables: Bag): Bag => Object.fromEntries(Object.entries(variables).filter(([k]) => !ALWAYS_LOCAL.has(k) && !k.startsWith('_')));

/** Copies variables across a call activity's boundary as its camunda:in or camunda:out say. */
function mapAcross(list: Mapping[], from: Bag, localFrom: Bag): Bag {
  const out: Bag = {};
  for (const m of list) {
    const source = isLocal(m) ? localFrom : from;
    if (m.variables === 'all') Object.assign(out, designerVariables({ ...source }));
    else if (m.target && m.sourceExpression !== undefined) out[m.target] = resolveTemplate(m.sourceExpression, expressionScope(source));
    else if (m.target && m.source !== undefined) out[m.target] = source[m.source];
  }
  return out;
}

// ---------------------------------------------------------------- the wrapped prototypes

type Behaviour = {
  environment: Env;
  activity: { id: string; behaviour?: Bag; environment: Env };
  loopCharacteristics?: { elementVariable?: string };
  _getExecutionById(id: string): unknown;
  calledElement?: string;
};

/** The locals a sub-process execution starts with: its input parameters, the multi-instance
 * element variable and loop counter of its iteration. */
function subProcessLocals(self: Behaviour, content: Bag): Bag {
  const locals: Bag = {};
  if (self.loopCharacteristics && !content.isRootScope && content.index !== undefined) {
    const name = self.loopCharacteristics.elementVariable;
    if (name && hasOwn(content, name)) locals[name] = content[name];
    locals.loopCounter = content.index;
  }
  Object.assign(locals, evaluateInputs(self.activity.behaviour, expressionScope(self.environment.variables, { ...content, ...locals })));
  return locals;
}

let installed = false;

/** Wraps bpmn-elements where scopes and mappings apply (once per process). */
export function installScopes(): void {
  if (installed) return;
  installed = true;
  const SubProcess = tasks.SubProcessBehaviour.prototype as Record<string, (...args: never[]) => unknown>;
  const upsert = SubProcess._upsertExecution;
  SubProcess._upsertExecution = function (this: Behaviour, executeMessage: { content: Bag }) {
    const existing = this._getExecutionById(String(executeMessage.content.executionId));
    const execution = upsert.call(this, executeMessage as never) as { environment: Env };
    if (!existing) makeScope(execution.environment, this.environment, subProcessLocals(this, executeMessage.content));
    return execution;
  };
  const recover = SubProcess.recover;
  SubProcess.recover = function (this: Behaviour, state: { environment?: Bag } | undefined) {
    const execution = recover.call(this, state as never) as { environment: Env } | undefined;
    if (execution && state?.environment) {
      const saved = (state.environment.variables ?? {}) as Bag;
      // A state saved before scopes held a full copy: what the parent has is the parent's.
      const parent = this.environment.variables;
      const locals = state.environment.scoped ? saved : Object.fromEntries(Object.entries(saved).filter(([k]) => ALWAYS_LOCAL.has(k) || !hasOwn(parent, k)));
      makeScope(execution.environment, this.environment, locals);
    }
    return execution;
  };
  // A sub-process's output parameters go up to its parent when it completes.
  const completeExecution = SubProcess._completeExecution;
  SubProcess._completeExecution = function (this: Behaviour, routingKey: string, content: Bag) {
    if (routingKey === 'execute.completed' && hasOutputs(this.activity.behaviour)) {
      const execution = this._getExecutionById(String(content.executionId)) as { environment: Env } | undefined;
      if (execution) Object.assign(this.environment.variables, evaluateOutputs(this.activity.behaviour, expressionScope(execution.environment.variables)));
    }
    return completeExecution.call(this, routingKey as never, content as never);
  };

  const CallActivity = tasks.CallActivityBehaviour.prototype as Record<string, (...args: never[]) => unknown>;
  const callExecute = CallActivity.execute;
  CallActivity.execute = function (this: Behaviour, executeMessage: { content: Bag }) {
    const registry = registryOf(this.environment);
    const content = executeMessage.content;
    if (registry && !(this.loopCharacteristics && content.isRootScope)) {
      const caller = this.environment.variables;
      const behaviour = this.activity.behaviour;
      const inputs = evaluateInputs(behaviour, expressionScope(caller, content));
      const passed = mapAcross(mappings(behaviour, 'camunda:In'), { ...caller, ...inputs }, inputs);
      for (const name of HOST_VARIABLES) if (hasOwn(caller, name) && !hasOwn(passed, name)) passed[name] = caller[name];
      registry.callInputs.set(String(content.executionId), passed);
    }
    return callExecute.call(this, executeMessage as never);
  };
  const callApi = CallActivity._onApiMessage;
  CallActivity._onApiMessage = function (this: Behaviour, calledElement: string, executeMessage: { content: Bag }, routingKey: string, message: { properties: Bag }) {
    const registry = registryOf(this.environment);
    if (registry && message.properties.type === 'signal') {
      const key = `${brokerSafeId(String(calledElement))}_${String(executeMessage.content.executionId)}`;
      const called = registry.processes.get(key);
      if (called) {
        registry.processes.delete(key);
        const behaviour = this.activity.behaviour;
        const calledVariables = called.variables;
        const outs = mapAcross(mappings(behaviour, 'camunda:Out'), calledVariables, {});
        const localOuts = mapAcross(mappings(behaviour, 'camunda:Out').filter(isLocal), calledVariables, {});
        const caller = this.environment.variables;
        // Local outs are seen by the call activity's own output parameters only.
        for (const [k, v] of Object.entries(outs)) if (!hasOwn(localOuts, k)) caller[k] = v;
        if (hasOutputs(behaviour)) Object.assign(caller, evaluateOutputs(behaviour, expressionScope(caller, localOuts)));
      }
    }
    return callApi.call(this, calledElement as never, executeMessage as never, routingKey as never, message as never);
  };

  const Process = elements.Process.prototype as Record<string, (...args: never[]) => unknown> & { environment?: Env; executionId?: string };
  const run = Process.run;
  Process.run = function (this: { environment: Env; executionId?: string }, runContent?: { inbound?: Bag[] }) {
    const registry = registryOf(this.environment);
    const from = runContent?.inbound?.[0];
    if (registry && from?.calledElement) {
      // Camunda starts a called process with the variables its camunda:in pass, nothing else.
      const passed = registry.callInputs.get(String(from.executionId)) ?? {};
      registry.callInputs.delete(String(from.executionId));
      this.environment[kVariables] = { ...passed };
    }
    const result = run.call(this, runContent as never);
    if (registry && this.executionId) registry.processes.set(this.executionId, this.environment);
    return result;
  };
  const processRecover = Process.recover;
  Process.recover = function (this: { environment: Env; executionId?: string }, state: never) {
    const result = processRecover.call(this, state);
    const registry = registryOf(this.environment);
    if (registry && this.executionId) registry.processes.set(this.executionId, this.environment);
    return result;
  };
}
