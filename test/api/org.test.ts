import { expect } from 'chai';
import { api, buildOrganisation, buildPosition, buildUnit, buildUser, login, orgByCode, unique, Session } from '../helpers/factories';
import { Position, Unit, User, Organisation, Delegation } from '../../server/db/models';

describe('organisation administration', () => {
  let admin: Session;
  let central: Organisation;
  let chiangMai: Organisation;
  let khonKaen: Organisation;

  before(async () => {
    admin = await login('admin');
    central = await orgByCode('สธ 02');
    chiangMai = await orgByCode('ชม 0033');
    khonKaen = await orgByCode('ขก 0033');
  });

  it('seeds a ministry with a central office, two provincial offices and the chain of command', async () => {
    const orgs = await api().get('/api/organisations').set(admin.auth);
    expect(orgs.status).to.equal(200);
    const names = orgs.body.items.map((o: { nameTh: string }) => o.nameTh);
    expect(names).to.include.members(['กระทรวงสาธารณสุข', 'สำนักงานปลัดกระทรวงสาธารณสุข', 'สำนักงานสาธารณสุขจังหวัดเชียงใหม่', 'สำนักงานสาธารณสุขจังหวัดขอนแก่น']);
    const clerk = await User.findOne({ where: { username: 'clerk' } });
    const chain = await api().get(`/api/positions/${clerk!.positionId}/chain`).set(admin.auth);
    expect(chain.body.items.map((p: { titleTh: string }) => p.titleTh)).to.deep.equal([
      'หัวหน้ากลุ่มงานสารบรรณ', 'ผู้อำนวยการกองกลาง', 'รองปลัดกระทรวงสาธารณสุข', 'ปลัดกระทรวงสาธารณสุข',
    ]);
    const codes = await api().get('/api/code-lists/ministries').set(admin.auth);
    expect(codes.body.items).to.have.length(20);
    expect(codes.body.items.map((c: { code: string }) => c.code)).to.include.members(['นร', 'มท', 'สธ']);
  });

  it('lets an admin build units, positions, users, groups and delegations in their organisation', async () => {
    const unit = await api().post(`/api/organisations/${central.id}/units`).set(admin.auth).send({ kind: 'section', nameTh: unique('กลุ่มงานทดสอบ '), ownerCode: 'สธ 0201.9' });
    expect(unit.status).to.equal(201);
    const head = await api().post(`/api/organisations/${central.id}/positions`).set(admin.auth).send({ titleTh: 'หัวหน้ากลุ่มงานทดสอบ', unitId: unit.body.id });
    expect(head.status).to.equal(201);
    const staffPos = await api().post(`/api/organisations/${central.id}/positions`).set(admin.auth).send({ titleTh: 'เจ้าหน้าที่ทดสอบ', unitId: unit.body.id, reportsToId: head.body.id });
    expect(staffPos.body.reportsToId).to.equal(head.body.id);
    const groups = await api().get(`/api/organisations/${central.id}/groups`).set(admin.auth);
    const staffGroup = groups.body.items.find((g: { key: string }) => g.key === 'staff');
    const username = unique('new.user.');
    const user = await api().post(`/api/organisations/${central.id}/users`).set(admin.auth).send({
      username, password: 'a-long-password', firstNameTh: 'สมหญิง', lastNameTh: 'ใจงาม', unitId: unit.body.id, positionId: staffPos.body.id, groupIds: [staffGroup.id], email: 'somying@example.go.th',
    });
    expect(user.status).to.equal(201);
    expect(user.body.roles).to.deep.equal(['staff']);
    expect(user.body).to.not.have.property('password');
    await login(username, 'a-long-password');

    const group = await api().post(`/api/organisations/${central.id}/groups`).set(admin.auth).send({ key: unique('committee-'), nameTh: 'คณะกรรมการทำลายหนังสือ' });
    expect(group.status).to.equal(201);
    expect(group.body.isRole).to.equal(false);
    expect((await api().put(`/api/groups/${group.body.id}/members/${user.body.id}`).set(admin.auth)).status).to.equal(204);
    const members = await api().get(`/api/groups/${group.body.id}/members`).set(admin.auth);
    expect(members.body.items.map((m: { id: number }) => m.id)).to.deep.equal([user.body.id]);

    const delegation = await api().post(`/api/organisations/${central.id}/delegations`).set(admin.auth).send({
      principalPositionId: head.body.id, delegateUserId: user.body.id, capacity: 'acting_in_post',
      startsAt: new Date(Date.now() - 60000).toISOString(), endsAt: new Date(Date.now() + 86400000).toISOString(),
      orderNumber: 'คำสั่งสำนักงานปลัดกระทรวงสาธารณสุข ที่ 99/2569', orderDate: '2026-11-20',
    });
    expect(delegation.status).to.equal(201);
    expect(delegation.body.active).to.equal(true);
    const me = await api().get('/api/me').set((await login(username, 'a-long-password')).auth);
    expect(me.body.capacities).to.deep.include({ positionId: head.body.id, capacity: 'acting_in_post', delegationId: delegation.body.id, positionTitleTh: 'หัวหน้ากลุ่มงานทดสอบ' });

    const revoked = await api().post(`/api/delegations/${delegation.body.id}/revoke`).set(admin.auth);
    expect(revoked.body.active).to.equal(false);
    const after = await api().get('/api/me').set((await login(username, 'a-long-password')).auth);
    expect(after.body.capacities.map((c: { capacity: string }) => c.capacity)).to.deep.equal(['self']);
  });

  it('shows the seeded delegation: the director acts for the deputy (ปฏิบัติราชการแทน)', async () => {
    const me = await api().get('/api/me').set((await login('director')).auth);
    const acting = me.body.capacities.find((c: { capacity: string }) => c.capacity === 'acting_for');
    expect(acting.positionTitleTh).to.equal('รองปลัดกระทรวงสาธารณสุข');
  });

  it('lets the central admin administer the provincial offices below it', async () => {
    const res = await api().post(`/api/organisations/${chiangMai.id}/units`).set(admin.auth).send({ kind: 'section', nameTh: unique('กลุ่มงานใหม่ ') });
    expect(res.status).to.equal(201);
  });

  it("gives a provincial admin 403 on the central office and on a sibling province, and leaves nothing behind", async () => {
    const cmAdmin = await login('cm.admin');
    const before = await Unit.count();
    for (const org of [central, khonKaen]) {
      const res = await api().post(`/api/organisations/${org.id}/units`).set(cmAdmin.auth).send({ kind: 'section', nameTh: unique('แอบสร้าง ') });
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('forbidden');
      expect((await api().get(`/api/organisations/${org.id}/users`).set(cmAdmin.auth)).status).to.equal(403);
    }
    const clerk = await User.findOne({ where: { username: 'clerk' } });
    expect((await api().patch(`/api/users/${clerk!.id}`).set(cmAdmin.auth).send({ password: 'taken-over-password' })).status).to.equal(403);
    expect((await api().get(`/api/users/${clerk!.id}`).set(cmAdmin.auth)).status).to.equal(403);
    expect(await Unit.count()).to.equal(before);
    await login('clerk');
    // Its own office it may administer.
    expect((await api().post(`/api/organisations/${chiangMai.id}/units`).set(cmAdmin.auth).send({ kind: 'section', nameTh: unique('กลุ่มงาน ') })).status).to.equal(201);
  });

  it("gives a second organisation's admin 403 everywhere in the first", async () => {
    const other = await buildOrganisation();
    const otherAdmin = await buildUser(other.id, { roles: ['system_admin'] });
    const session = await login(otherAdmin.username);
    const unit = await Unit.findOne({ where: { organisationId: central.id } });
    const position = await Position.findOne({ where: { organisationId: central.id } });
    const attempts = [
      api().post(`/api/organisations/${central.id}/users`).set(session.auth).send({ username: unique('intruder'), password: 'a-long-password', firstNameTh: 'ก', lastNameTh: 'ข' }),
      api().patch(`/api/units/${unit!.id}`).set(session.auth).send({ nameTh: 'ยึด' }),
      api().patch(`/api/positions/${position!.id}`).set(session.auth).send({ titleTh: 'ยึด' }),
      api().patch(`/api/organisations/${central.id}`).set(session.auth).send({ nameTh: 'ยึด' }),
      api().post('/api/organisations').set(session.auth).send({ parentId: central.id, kind: 'department', nameTh: 'ยึด', agencyCode: unique('X') }),
      api().get(`/api/organisations/${central.id}/positions`).set(session.auth),
      api().get(`/api/organisations/${central.id}/delegations`).set(session.auth),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).to.equal(403);
    expect((await Unit.findByPk(unit!.id))!.nameTh).to.not.equal('ยึด');
  });

  it('does not let a staff member administer their own organisation', async () => {
    const session = await login('officer');
    const res = await api().post(`/api/organisations/${central.id}/units`).set(session.auth).send({ kind: 'section', nameTh: unique('x') });
    expect(res.status).to.equal(403);
    expect((await api().get(`/api/organisations/${central.id}/units`).set(session.auth)).status).to.equal(200);
  });

  it('refuses a chain of command that loops, with 422 naming the field', async () => {
    const a = await buildPosition(central.id);
    const b = await buildPosition(central.id, a.id);
    const res = await api().patch(`/api/positions/${a.id}`).set(admin.auth).send({ reportsToId: b.id });
    expect(res.status).to.equal(422);
    expect(res.body.error.details[0].field).to.equal('reportsToId');
    expect((await Position.findByPk(a.id))!.reportsToId).to.equal(null);
  });

  it("refuses references to another organisation's records and writes no row", async () => {
    const kkUnit = await buildUnit(khonKaen.id);
    const username = unique('half.');
    const res = await api().post(`/api/organisations/${central.id}/users`).set(admin.auth).send({ username, password: 'a-long-password', firstNameTh: 'ก', lastNameTh: 'ข', unitId: kkUnit.id });
    expect(res.status).to.equal(422);
    expect(await User.count({ where: { username } })).to.equal(0);
    const groups = await api().get(`/api/organisations/${khonKaen.id}/groups`).set(admin.auth);
    const res2 = await api().post(`/api/organisations/${central.id}/users`).set(admin.auth).send({ username, password: 'a-long-password', firstNameTh: 'ก', lastNameTh: 'ข', groupIds: [groups.body.items[0].id] });
    expect(res2.status).to.equal(422);
    expect(await User.count({ where: { username } })).to.equal(0);
  });

  it('answers a duplicate username with 409', async () => {
    const res = await api().post(`/api/organisations/${central.id}/users`).set(admin.auth).send({ username: 'clerk', password: 'a-long-password', firstNameTh: 'ก', lastNameTh: 'ข' });
    expect(res.status).to.equal(409);
    expect(res.body.error.code).to.equal('conflict');
  });

  it('refuses a delegation that ends before it starts, and one to the holder of the position', async () => {
    const director = await User.findOne({ where: { username: 'director' } });
    const bad = await api().post(`/api/organisations/${central.id}/delegations`).set(admin.auth).send({
      principalPositionId: director!.positionId, delegateUserId: director!.id, capacity: 'acting_for',
      startsAt: '2026-12-01T00:00:00+07:00', endsAt: '2026-11-01T00:00:00+07:00', orderNumber: 'ที่ 1/2569',
    });
    expect(bad.status).to.equal(400);
    const count = await Delegation.count();
    const self = await api().post(`/api/organisations/${central.id}/delegations`).set(admin.auth).send({
      principalPositionId: director!.positionId, delegateUserId: director!.id, capacity: 'acting_for', startsAt: '2026-11-01T00:00:00+07:00', orderNumber: 'ที่ 1/2569',
    });
    expect(self.status).to.equal(422);
    expect(await Delegation.count()).to.equal(count);
  });

  it('deactivating a user ends their sessions', async () => {
    const user = await buildUser(central.id);
    const session = await login(user.username);
    expect((await api().patch(`/api/users/${user.id}`).set(admin.auth).send({ active: false })).status).to.equal(200);
    expect((await api().get('/api/me').set(session.auth)).status).to.equal(401);
  });
});
