// Durable timers: bpmn-engine asks for setTimeout; we arm nothing in memory. Each armed timer
// is remembered here and becomes a row in workflow_jobs when the command commits; the scheduler
// fires it by hydrating the instance and calling the timer's callback. Delays of any length work
// (bpmn-engine's own timers never arm delays over ~24.8 days).

interface Armed {
  ref: { executionId: string };
  elementId: string;
  executionId: string;
  expireAt: Date;
  callback: (...args: unknown[]) => void;
  args: unknown[];
}

export class DurableTimers {
  readonly armed = new Map<string, Armed>();
  private anonymous = 0;

  /** bpmn-engine clears these when an execution completes. */
  get executing(): Array<{ executionId: string }> {
    return [...this.armed.values()].map((a) => a.ref);
  }

  register(owner: { id?: string; executionId?: string; expireAt?: Date | string }) {
    return {
      setTimeout: (callback: (...args: unknown[]) => void, delay: number, ...args: unknown[]) => this.arm(owner, callback, delay, args),
      clearTimeout: (ref: { executionId: string } | undefined) => this.clearTimeout(ref),
    };
  }

  setTimeout(callback: (...args: unknown[]) => void, delay: number, ...args: unknown[]) {
    return this.arm({ id: 'engine', executionId: `anonymous_${this.anonymous++}` }, callback, delay, args);
  }

  clearTimeout(ref: { executionId?: string } | undefined): undefined {
    if (ref?.executionId) this.armed.delete(ref.executionId);
    return undefined;
  }

  fire(executionId: string): boolean {
    const timer = this.armed.get(executionId);
    if (!timer) return false;
    this.armed.delete(executionId);
    timer.callback(...timer.args);
    return true;
  }

  private arm(owner: { id?: string; executionId?: string; expireAt?: Date | string }, callback: (...args: unknown[]) => void, delay: number, args: unknown[]) {
    const executionId = String(owner.executionId);
    const ref = { executionId };
    const expireAt = owner.expireAt ? new Date(owner.expireAt) : new Date(Date.now() + delay);
    this.armed.set(executionId, { ref, elementId: String(owner.id), executionId, expireAt, callback, args });
    return ref;
  }
}
