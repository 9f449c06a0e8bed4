// Runs tasks one at a time per key (per process instance) within this process.
export class KeyedQueue {
  private tails = new Map<number | string, Promise<unknown>>();

  run<T>(key: number | string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
