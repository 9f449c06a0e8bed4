// The citizens' figures of the monitor: counts in the period, how long answers took and how long the
// open requests have waited (median and 90th percentile), the open ones oldest first — with no
// personal data, and only for managers and registry clerks.
import { expect } from 'chai';
import { CitizenSubmission, MailMessage } from '../../server/db/models';
import { api, buildOrganisation, buildUser, login } from '../helpers/factories';
import { as, useTempFiles } from '../deliveries/helpers';
import { citizenApp, form, solvedProof, submitForm } from './helpers';

describe("the citizens' figures on the monitor", () => {
  useTempFiles();
  after(() => MailMessage.destroy({ where: { kind: 'citizen' } }));

  it('gives the waiting times and the open requests oldest first, without personal data', async function () {
    this.timeout(60000);
    const org = await buildOrganisation();
    const clerk = await login((await buildUser(org.id, { roles: ['registry_clerk', 'staff'] })).username);
    const app = citizenApp();
    const hour = 3_600_000;
    const ages = [50, 10, 30]; // hours since each was sent
    const ids: number[] = [];
    for (const [i, age] of ages.entries()) {
      const sent = await submitForm(app, String(org.agencyCode), form({ name: `นางทดสอบ ตัวเลข${i}`, email: `figures${i}@example.com`, subject: `คำร้องสถิติ ${i}` }), await solvedProof(app));
      expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
      const s = (await CitizenSubmission.findOne({ where: { organisationId: org.id }, order: [['id', 'DESC']] }))!;
      // Sequelize never writes createdAt on an update: the age is set in SQL.
      await CitizenSubmission.sequelize!.query('UPDATE citizen_submissions SET createdAt = ? WHERE id = ?', { replacements: [new Date(Date.now() - age * hour), s.id] });
      ids.push(Number(s.id));
    }
    // The one sent 30 hours ago was answered after 6 hours.
    await CitizenSubmission.update({ status: 'answered', answeredAt: new Date(Date.now() - 24 * hour) }, { where: { id: ids[2] } });

    const res = await api().get('/api/citizens/monitor').query({ days: 30 }).set(clerk.auth);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.counts).to.include({ total: 3, received: 2, answered: 1 });
    expect(res.body.hoursToAnswer).to.deep.equal({ median: 6, p90: 6, answered: 1 });
    expect(res.body.hoursWaiting.open).to.equal(2);
    expect(res.body.hoursWaiting.p90).to.be.within(49.9, 50.1);
    expect(res.body.oldestOpen.map((r: { id: number }) => r.id), 'oldest first').to.deep.equal([ids[0], ids[1]]);
    expect(res.body.oldestOpen[0].hoursWaiting).to.be.within(49.9, 50.1);
    expect(JSON.stringify(res.body), 'no personal data').to.not.match(/figures\d@|ตัวเลข|ขอให้ตรวจสอบ|คำร้องสถิติ/);
    const staff = await login((await buildUser(org.id, { roles: ['staff'] })).username);
    expect((await api().get('/api/citizens/monitor').set(staff.auth)).status).to.equal(403);
    expect((await api().get('/api/citizens/monitor').set((await as('clerk')).auth)).body.oldestOpen.map((r: { id: number }) => r.id), 'another organisation sees none of them').to.not.include.members([ids[0]]);
  });
});
