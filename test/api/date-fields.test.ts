// Every date a person types is checked for plausibility: a B.E. year typed as C.E. (2569 → the year
// 2569), a typo (0569), or a day that does not exist is refused with 400 and, for a Thai client, a
// Thai message, on every route that takes a date. Nothing is written.
import { expect } from 'chai';
import { api, login, orgByCode, type Session } from '../helpers/factories';
import { Delegation, Document, User } from '../../server/db/models';
import { implausibleDay, latestPlausibleDay } from '../../server/lib/date-fields';
import { incomingLetter } from '../registry/helpers';

const thai = { 'accept-language': 'th' };

describe('plausible dates on every date field', () => {
  let clerk: Session;
  let admin: Session;
  before(async () => {
    clerk = await login('clerk');
    admin = await login('admin');
  });

  it('knows a plausible day from a B.E. year typed as C.E., a typo and a day that does not exist', () => {
    const now = new Date('2026-11-20T03:00:00Z');
    expect(latestPlausibleDay(now)).to.equal('2027-11-20');
    expect(implausibleDay('2026-11-20', now)).to.equal(null);
    expect(implausibleDay('1857-01-01', now)).to.equal(null);
    expect(implausibleDay('2027-11-20', now)).to.equal(null);
    expect(implausibleDay('2027-11-21', now)).to.equal('tooLate');
    expect(implausibleDay('2569-11-20', now)).to.equal('tooLate');
    expect(implausibleDay('1856-12-31', now)).to.equal('tooEarly');
    expect(implausibleDay('0569-11-20', now)).to.equal('tooEarly');
    expect(implausibleDay('2026-02-30', now)).to.equal('noSuchDay');
  });

  it('refuses a letter dated in B.E. 2569 typed as C.E., in Thai, and stores nothing', async () => {
    const before = await Document.count();
    const res = await api().post('/api/documents').set(clerk.auth).set(thai).send(incomingLetter({ letterDate: '2569-11-20' }));
    expect(res.status, JSON.stringify(res.body)).to.equal(400);
    const issue = res.body.error.details.find((d: { path: string }) => d.path === 'letterDate');
    expect(issue.message).to.contain('เกินหนึ่งปีข้างหน้า');
    expect(await Document.count()).to.equal(before);
    const english = await api().post('/api/documents').set(clerk.auth).set('accept-language', 'en').send(incomingLetter({ letterDate: '2569-11-20' }));
    expect(english.body.error.details[0].message).to.contain('more than a year ahead');
  });

  it('refuses implausible dates in references, deadlines and edits', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ references: [{ owner: 'กรมป่าไม้', number: 'ทส 1602/1', date: '1800-01-01' }] }, 'references.0.date', 'ก่อน พ.ศ. 2400'],
      [{ urgency: 'deadline', urgentBy: '2569-11-20T09:00:00+07:00' }, 'urgentBy', 'เกินหนึ่งปีข้างหน้า'],
      [{ letterDate: '2026-02-30' }, 'letterDate', 'ไม่มีวันที่นี้'],
    ];
    for (const [extra, path, message] of cases) {
      const res = await api().post('/api/documents').set(clerk.auth).set(thai).send(incomingLetter(extra));
      expect(res.status, path).to.equal(400);
      expect(res.body.error.details.find((d: { path: string }) => d.path === path)?.message, path).to.contain(message);
    }
    const created = await api().post('/api/documents').set(clerk.auth).send(incomingLetter({ letterDate: '2026-11-20' }));
    expect(created.status).to.equal(201);
    const edit = await api().patch(`/api/documents/${created.body.id}`).set(clerk.auth).set(thai).send({ letterDate: '3112-11-20' });
    expect(edit.status).to.equal(400);
    expect((await Document.findByPk(created.body.id))!.letterDate).to.equal('2026-11-20');
  });

  it('refuses implausible delegation days, search ranges and inbox deadlines', async () => {
    const central = await orgByCode('สธ 02');
    const director = await User.findOne({ where: { username: 'director' } });
    const clerkUser = await User.findOne({ where: { username: 'clerk' } });
    const count = await Delegation.count();
    const delegation = await api().post(`/api/organisations/${central.id}/delegations`).set(admin.auth).set(thai).send({
      principalPositionId: director!.positionId, delegateUserId: clerkUser!.id, capacity: 'acting_for', startsAt: '2569-12-01T00:00:00+07:00', orderNumber: 'ที่ 1/2569', orderDate: '0569-12-01',
    });
    expect(delegation.status).to.equal(400);
    expect(delegation.body.error.details.map((d: { path: string }) => d.path).sort()).to.deep.equal(['orderDate', 'startsAt']);
    expect(await Delegation.count()).to.equal(count);

    const search = await api().get('/api/search/documents').query({ from: '2569-01-01' }).set(clerk.auth).set(thai);
    expect(search.status).to.equal(400);
    expect(search.body.error.details[0].message).to.contain('ตรวจสอบปี');
    const tasks = await api().get('/api/tasks').query({ dueBefore: '1500-01-01T00:00:00Z' }).set(clerk.auth).set(thai);
    expect(tasks.status).to.equal(400);
    expect(tasks.body.error.details[0].message).to.contain('ก่อน พ.ศ. 2400');
  });
});
