// Delivery rounds over the outbox, one at a time: a kick while a round runs asks for one more round
// after it (however many kicks came), so a burst of commits costs at most two rounds.

export interface Rounds {
  /** Runs a round now, or one more after the running one; resolves when no round is asked for. */
  kick(): Promise<void>;
  /** Runs a round and waits until none is running. */
  flush(): Promise<void>;
  /** No new rounds; waits for the running one. */
  close(): Promise<void>;
}

export function rounds(round: () => Promise<void>, onError: (err: unknown) => void): Rounds {
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;
  const kick = (): Promise<void> => {
    if (closed) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await round();
        } catch (err) {
          onError(err);
        }
      } while (again && !closed);
    })().finally(() => {
      running = null;
    });
    return running;
  };
  return {
    kick,
    flush: async () => {
      await kick();
      if (running) await running;
    },
    close: async () => {
      closed = true;
      if (running) await running.catch(() => {});
    },
  };
}
