// SQLite pass only: every connection (Sequelize opens one per transaction) is set up for
// concurrent use, so a burst of writes queues instead of failing with SQLITE_BUSY.
import { expect } from 'chai';
import { testDialect, testEnv } from '../helpers/env';
import { writeTransaction } from '../../server/lib/transaction';

if (testDialect() === 'sqlite') {
  describe('SQLite connections', () => {
    it("use WAL and wait for the write lock, also inside a transaction's own connection", async () => {
      const { sequelize } = testEnv().ctx.db;
      expect(await sequelize.query('PRAGMA journal_mode', { plain: true })).to.deep.equal({ journal_mode: 'wal' });
      const inside = await sequelize.transaction((transaction) => sequelize.query('PRAGMA busy_timeout', { plain: true, transaction }));
      expect(inside).to.deep.equal({ timeout: 15000 });
    });

    // The exchange outbox's claims and outcomes: without this, a burst of sends kept the letters
    // before them waiting for the writer (bench/exchange.ts: p95 send → peer's tray 3.2 s, now 0.3 s).
    it('lets a transaction opened ahead go before those waiting for their turn, the rest in the order they came', async () => {
      const { sequelize } = testEnv().ctx.db;
      const order: string[] = [];
      let release!: () => void;
      const holding = new Promise<void>((resolve) => (release = resolve));
      const first = writeTransaction(sequelize, async () => {
        order.push('first');
        await holding;
      });
      const requests = [1, 2, 3].map((i) => writeTransaction(sequelize, async () => void order.push(`request ${i}`)));
      const ahead = writeTransaction(sequelize, async () => void order.push('ahead'), { ahead: true });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(order).to.deep.equal(['first']);
      release();
      await Promise.all([first, ...requests, ahead]);
      expect(order).to.deep.equal(['first', 'ahead', 'request 1', 'request 2', 'request 3']);
    });
  });
}
