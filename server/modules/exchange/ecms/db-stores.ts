// ReplayStore and PickupQueue in the database (tables of migration 20261205120000-ecms), so
// exactly-once and the peers' queues survive restarts and are shared by several server processes.
import crypto from 'node:crypto';
import { Op, UniqueConstraintError } from 'sequelize';
import { EcmsMessageId, EcmsPickupItem } from '../../../db/models';
import type { PickupQueue, QueuedItem, ReplayStore } from './types';

export class DbReplayStore implements ReplayStore {
  private lastPurge = 0;
  constructor(private now: () => Date = () => new Date()) {}

  async claim(peerOrganisationId: string, messageId: string, leaseUntil: Date): Promise<'claimed' | 'in_progress' | 'done'> {
    const now = this.now();
    await this.purge(now);
    try {
      await EcmsMessageId.create({ peerOrganisationId, messageId, state: 'processing', until: leaseUntil, createdAt: now });
      return 'claimed';
    } catch (err) {
      if (!(err instanceof UniqueConstraintError)) throw err;
    }
    const row = await EcmsMessageId.findOne({ where: { peerOrganisationId, messageId } });
    if (!row) return this.claim(peerOrganisationId, messageId, leaseUntil); // released meanwhile
    if (row.state === 'done') return 'done';
    if (row.until.getTime() > now.getTime()) return 'in_progress';
    // A lease left by a process that died: take it over, unless another retry just did.
    const [taken] = await EcmsMessageId.update({ until: leaseUntil }, { where: { peerOrganisationId, messageId, state: 'processing', until: row.until } });
    return taken === 1 ? 'claimed' : 'in_progress';
  }

  async complete(peerOrganisationId: string, messageId: string, keepUntil: Date): Promise<void> {
    await EcmsMessageId.update({ state: 'done', until: keepUntil }, { where: { peerOrganisationId, messageId } });
  }

  async release(peerOrganisationId: string, messageId: string): Promise<void> {
    await EcmsMessageId.destroy({ where: { peerOrganisationId, messageId, state: 'processing' } });
  }

  /** Completed ids past their window go, at most once a minute per process. */
  private async purge(now: Date): Promise<void> {
    if (now.getTime() - this.lastPurge < 60_000) return;
    this.lastPurge = now.getTime();
    await EcmsMessageId.destroy({ where: { state: 'done', until: { [Op.lt]: now } } });
  }
}

const item = (row: EcmsPickupItem): QueuedItem => ({ processId: row.processId, processTime: row.createdAt, payloadXml: row.payloadXml });

export class DbPickupQueue implements PickupQueue {
  async enqueue(peerOrganisationId: string, payloadXml: string, processId: string = crypto.randomUUID()): Promise<QueuedItem> {
    try {
      return item(await EcmsPickupItem.create({ peerOrganisationId, processId, payloadXml, createdAt: new Date() }));
    } catch (err) {
      // Enqueued already (a retry after the first enqueue's outcome was lost): the same item.
      const row = err instanceof UniqueConstraintError ? await EcmsPickupItem.findOne({ where: { peerOrganisationId, processId } }) : null;
      if (!row) throw err;
      return item(row);
    }
  }
  async next(peerOrganisationId: string): Promise<QueuedItem | null> {
    const row = await EcmsPickupItem.findOne({ where: { peerOrganisationId }, order: [['id', 'ASC']] });
    return row ? item(row) : null;
  }
  async get(peerOrganisationId: string, processId: string): Promise<QueuedItem | null> {
    const row = await EcmsPickupItem.findOne({ where: { peerOrganisationId, processId } });
    return row ? item(row) : null;
  }
  async remove(peerOrganisationId: string, processId: string): Promise<boolean> {
    return (await EcmsPickupItem.destroy({ where: { peerOrganisationId, processId } })) > 0;
  }
}
