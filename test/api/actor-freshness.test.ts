// The signed-in actor (groups, delegations, session) is kept in memory for a few seconds per user.
// A change made through this server must apply to the user's very next request all the same.
import { expect } from 'chai';
import { api, buildUser, login, orgByCode, unique, Session } from '../helpers/factories';
import { Organisation, Position } from '../../server/db/models';

describe('the actor after a change', () => {
  let admin: Session;
  let central: Organisation;

  before(async () => {
    admin = await login('admin');
    central = await orgByCode('สธ 02');
  });

  it('sees a group membership added and removed at the next request', async () => {
    const user = await buildUser(central.id);
    const me = await login(user.username);
    const group = await api().post(`/api/organisations/${central.id}/groups`).set(admin.auth).send({ key: unique('panel-'), nameTh: 'คณะทำงานทดสอบ' });
    const inbox = () => api().get(`/api/tasks/group?kind=group&id=${group.body.id}`).set(me.auth);
    expect((await inbox()).status).to.equal(403); // the actor is now kept
    expect((await api().put(`/api/groups/${group.body.id}/members/${user.id}`).set(admin.auth)).status).to.equal(204);
    expect((await inbox()).status).to.equal(200);
    expect((await api().delete(`/api/groups/${group.body.id}/members/${user.id}`).set(admin.auth)).status).to.equal(204);
    expect((await inbox()).status).to.equal(403);
  });

  it('sees a delegation appointed and revoked at the next request', async () => {
    const user = await buildUser(central.id);
    const me = await login(user.username);
    const principal = (await Position.findOne({ where: { organisationId: central.id, titleTh: 'ผู้อำนวยการกองกลาง' } }))!;
    const capacities = async () => ((await api().get('/api/me').set(me.auth)).body.capacities as Array<{ positionId: number }>).map((c) => c.positionId);
    expect(await capacities()).to.not.include(principal.id);
    const delegation = await api().post(`/api/organisations/${central.id}/delegations`).set(admin.auth).send({
      principalPositionId: principal.id, delegateUserId: user.id, capacity: 'acting_for', startsAt: new Date(Date.now() - 60000).toISOString(), orderNumber: 'คำสั่งที่ 1/2569',
    });
    expect(delegation.status).to.equal(201);
    expect(await capacities()).to.include(principal.id);
    expect((await api().post(`/api/delegations/${delegation.body.id}/revoke`).set(admin.auth)).status).to.equal(200);
    expect(await capacities()).to.not.include(principal.id);
  });
});
