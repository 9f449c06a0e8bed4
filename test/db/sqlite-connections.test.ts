// SQLite pass only: every connection (Sequelize opens one per transaction) is set up for
// concurrent use, so a burst of writes queues instead of failing with SQLITE_BUSY.
import { expect } from 'chai';
import { testDialect, testEnv } from '../helpers/env';

if (testDialect() === 'sqlite') {
  describe('SQLite connections', () => {
    it("use WAL and wait for the write lock, also inside a transaction's own connection", async () => {
      const { sequelize } = testEnv().ctx.db;
      expect(await sequelize.query('PRAGMA journal_mode', { plain: true })).to.deep.equal({ journal_mode: 'wal' });
      const inside = await sequelize.transaction((transaction) => sequelize.query('PRAGMA busy_timeout', { plain: true, transaction }));
      expect(inside).to.deep.equal({ timeout: 15000 });
    });
  });
}
