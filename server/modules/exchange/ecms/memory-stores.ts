// In-process ReplayStore and PickupQueue: for tests and a single-process development server. They
// forget on restart, so production wiring must back both with the database (see README.md).
import crypto from 'node:crypto';
import type { ReplayStore, PickupQueue, QueuedItem } from './types';

export class MemoryReplayStore implements ReplayStore {
  private seen = new Map<string, { state: 'processing' | 'done'; until: number }>();
  constructor(private now: () => number = Date.now) {}
  async claim(peer: string, messageId: string, leaseUntil: Date) {
    const t = this.now();
    for (const [k, v] of this.seen) if (v.state === 'done' && v.until < t) this.seen.delete(k);
    const key = `${peer}\u0000${messageId}`;
    const row = this.seen.get(key);
    if (row?.state === 'done') return 'done' as const;
    if (row && row.until > t) return 'in_progress' as const;
    this.seen.set(key, { state: 'processing', until: leaseUntil.getTime() });
    return 'claimed' as const;
  }
  async complete(peer: string, messageId: string, keepUntil: Date) {
    this.seen.set(`${peer}\u0000${messageId}`, { state: 'done', until: keepUntil.getTime() });
  }
  async release(peer: string, messageId: string) {
    this.seen.delete(`${peer}\u0000${messageId}`);
  }
}

export class MemoryPickupQueue implements PickupQueue {
  private items = new Map<string, QueuedItem[]>();
  async enqueue(peer: string, payloadXml: string, processId: string = crypto.randomUUID()): Promise<QueuedItem> {
    const earlier = await this.get(peer, processId);
    if (earlier) return earlier;
    const item = { processId, processTime: new Date(), payloadXml };
    this.items.set(peer, [...(this.items.get(peer) ?? []), item]);
    return item;
  }
  async next(peer: string) {
    return this.items.get(peer)?.[0] ?? null;
  }
  async get(peer: string, processId: string) {
    return this.items.get(peer)?.find((i) => i.processId === processId) ?? null;
  }
  async remove(peer: string, processId: string) {
    const list = this.items.get(peer) ?? [];
    const kept = list.filter((i) => i.processId !== processId);
    this.items.set(peer, kept);
    return kept.length !== list.length;
  }
}
