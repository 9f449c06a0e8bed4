import { expect } from 'chai';
import { api, buildOrganisation, buildUser, login } from '../helpers/factories';
import { Document } from '../../server/db/models';

describe('retention lists', () => {
  let auth: { Authorization: string };
  const ids: Record<string, number> = {};
  before(async () => {
    const org = await buildOrganisation();
    const clerk = await buildUser(org.id, { roles: ['registry_clerk', 'staff'] });
    auth = (await login(clerk.username)).auth;
    const base = { organisationId: org.id, direction: 'incoming', type: 'external', status: 'registered', urgency: 'normal', secrecy: 'normal', letterDate: '2005-03-01', createdById: clerk.id };
    for (const [key, registerYear, retentionYears] of [['old10', 2548, 10], ['young10', 2560, 10], ['forever', 2548, null], ['ancient', 2540, null], ['ancient5', 2540, 5]] as const) {
      ids[key] = (await Document.create({ ...base, subject: `เอกสาร ${key}`, letterNumber: `สธ 0201/${registerYear}`, registerYear, registerNumber: 1, retentionYears })).id;
    }
  });

  it('lists documents whose retention ends by the year, never a "never destroy" one', async () => {
    const res = await api().get('/api/retention/destruction-list').query({ year: 2568 }).set(auth);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const got = res.body.items.map((i: { documentId: number }) => i.documentId);
    expect(got).to.include.members([ids.old10, ids.ancient5]);
    expect(got).to.not.include.members([ids.young10, ids.forever, ids.ancient]);
    expect(res.body.items.find((i: { documentId: number }) => i.documentId === ids.old10).letterDateTh).to.equal('1 มี.ค. 48');
  });

  it('lists documents 20 years old for handover to the National Archives, as JSON and CSV', async () => {
    const res = await api().get('/api/retention/handover-list').query({ year: 2568 }).set(auth);
    expect(res.body.items.map((i: { documentId: number }) => i.documentId)).to.have.members([ids.forever, ids.ancient]);
    const csv = await api().get('/api/retention/handover-list.csv').query({ year: 2568 }).set(auth);
    expect(csv.text.replace(/^\uFEFF/, '').split('\n')[0]).to.equal('ลำดับที่,ที่,ลงวันที่,เรื่อง,ปีทะเบียน,หมายเหตุ');
  });

  it('is prepared by a registry clerk or administrator only', async () => {
    expect((await api().get('/api/retention/destruction-list').query({ year: 2568 }).set((await login('officer')).auth)).status).to.equal(403);
  });
});
