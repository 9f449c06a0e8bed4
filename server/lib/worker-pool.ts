// A few worker threads for CPU-heavy pure work (word segmentation today; PDF rendering and signing
// next), so one request's computation never holds the event loop that answers everyone else.
// Deliberately tiny: piscina would do this and more, but is not a dependency of the product yet.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parentPort, Worker } from 'node:worker_threads';

interface Job { id: number; input: unknown; resolve: (out: unknown) => void; reject: (err: Error) => void }
type Reply = { id: number; output: unknown } | { id: number; error: { message: string; stack?: string } };

/** Runs in the worker file: answers each job with `fn(input)`. */
export function serveJobs<In, Out>(fn: (input: In) => Out | Promise<Out>): void {
  if (!parentPort) throw new Error('serveJobs runs in a worker thread');
  const port = parentPort;
  port.on('message', async ({ id, input }: { id: number; input: In }) => {
    try {
      port.postMessage({ id, output: await fn(input) } satisfies Reply);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      port.postMessage({ id, error: { message: err.message, stack: err.stack } } satisfies Reply);
    }
  });
}

export class WorkerPool<In, Out> {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private nextId = 1;

  /**
   * `file` is the worker module without its extension (`…/segment-worker`): the compiled `.js`
   * under dist, the `.ts` (through tsx, as the tests and the dev server run) otherwise.
   */
  constructor(private readonly file: string, private readonly size = Math.max(1, Math.min(4, availableParallelism() - 1))) {}

  run(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, input, resolve: resolve as (out: unknown) => void, reject });
      this.dispatch();
    });
  }

  /** Stops the workers (jobs still queued or running are refused). */
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(new Error('worker pool closed'));
    const workers = [...this.idle.splice(0), ...this.busy.keys()];
    for (const [, job] of this.busy) job.reject(new Error('worker pool closed'));
    this.busy.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length) {
      const worker = this.idle.pop() ?? (this.busy.size < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const job = this.queue.shift()!;
      this.busy.set(worker, job);
      worker.ref(); // a script awaiting the job must not exit under it
      worker.postMessage({ id: job.id, input: job.input });
    }
  }

  private spawn(): Worker {
    const ts = path.extname(__filename) === '.ts';
    const worker = ts
      // Workers do not inherit a loader registered with require() (mocha's tsx): register it here.
      ? new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(`${this.file}.ts`)});`, { eval: true })
      : new Worker(`${this.file}.js`);
    worker.on('message', (reply: Reply) => {
      const job = this.busy.get(worker);
      if (!job || job.id !== reply.id) return;
      this.busy.delete(worker);
      worker.unref(); // an idle worker never keeps the process alive
      this.idle.push(worker);
      if ('error' in reply) job.reject(Object.assign(new Error(reply.error.message), { stack: reply.error.stack }));
      else job.resolve(reply.output);
      this.dispatch();
    });
    // A worker that dies fails its job only; the next job gets a fresh worker.
    const fail = (err: Error) => {
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      const i = this.idle.indexOf(worker);
      if (i >= 0) this.idle.splice(i, 1);
      job?.reject(err);
      this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`worker exited with code ${code}`)));
    return worker;
  }
}
