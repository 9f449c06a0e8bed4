// The inbox's default order is the way an office works its pile: ด่วนที่สุด first, then the nearest
// deadline, then the letter waiting longest; a task's priority comes from its letter's urgency
// when the process sets none, so "by importance" no longer puts ด่วนที่สุด below ordinary letters.
import { expect } from 'chai';
import { login, type Session } from '../helpers/factories';
import { inbox, startInstance } from '../helpers/workflow';

describe('the inbox order', () => {
  let clerk: Session;
  before(async () => {
    clerk = await login('clerk');
  });

  it('puts the most urgent first, then the nearest deadline, then the longest waiting, and takes priority from urgency', async () => {
    const mark = `ลำดับงาน${Date.now()}`;
    for (const urgency of [1, 4, 2, 1]) await startInstance(clerk, 'incoming_letter', { document: { subject: `${mark} ระดับ ${urgency}`, urgency } });
    const { items } = await inbox(clerk, { q: mark });
    expect(items.map((t) => t.urgency)).to.deep.equal([4, 2, 1, 1]);
    expect(items.map((t) => t.priority)).to.deep.equal([80, 60, 50, 50]);
    // Two ordinary letters: the one that arrived first comes first.
    expect(items[2].id).to.be.lessThan(items[3].id);
    const byPriority = await inbox(clerk, { q: mark, sort: 'priority' });
    expect(byPriority.items.map((t) => t.urgency)).to.deep.equal([4, 2, 1, 1]);
  });
});
