// A secret letter's text (its endorsements, summaries, comments, the subject in task titles)
// leaves only through the one disclosure rule: every read path hides it from those who may not
// read the letter — administrators, executives and designers included — and shows it to readers.
// Who is given or loses the secrets custodian's role is in the audit chain.
import { expect } from 'chai';
import { api, buildUser, login, orgByCode, Session } from '../helpers/factories';
import { complete, taskOf } from '../helpers/workflow';
import { custodian, incomingLetter, registerSecret } from './helpers';
import { AuditRecord, Group, OutboxEvent, ProcessInstance, User } from '../../server/db/models';

const SUMMARY = 'ผู้ถูกกล่าวหาคือนายสมชาย';
const NOTE = 'ให้เก็บเรื่องไว้ในตู้นิรภัย';

describe('a secret letter’s text on every read path', () => {
  let clerk: Session, otherClerk: Session, admin: Session, director: Session, designer: Session;
  let documentId: number, instanceId: number, presentTaskId: number;

  before(async () => {
    [clerk, admin, director, designer] = await Promise.all(['clerk', 'admin', 'director', 'designer'].map((u) => login(u)));
    otherClerk = await login((await buildUser((await orgByCode('สธ 02')).id, { roles: ['registry_clerk', 'staff'] })).username);
    const doc = await api().post('/api/documents').set(clerk.auth).send(incomingLetter({ secrecy: 'confidential', subject: 'การสอบสวนวินัยร้ายแรงเป็นการลับ' }));
    expect(doc.status, JSON.stringify(doc.body)).to.equal(201);
    documentId = doc.body.id;
    expect((await registerSecret(documentId)).status).to.equal(201);
    instanceId = Number((await ProcessInstance.findOne({ where: { documentId } }))!.id);
    // The clerk wrote the letter in, so reads it: screens it with a summary, and leaves a note on the next step.
    await complete(clerk, (await taskOf(clerk, instanceId, 'screen')).id, { summary: SUMMARY });
    presentTaskId = Number((await api().get(`/api/workflow/instances/${instanceId}`).set(clerk.auth)).body.tasks.find((t: { status: string }) => t.status === 'open').id);
    // A comment is text about the letter too; the reader writes it.
    const head = await login('sectionhead');
    await api().put(`/api/documents/${documentId}/readers/${(await User.findOne({ where: { username: 'sectionhead' } }))!.id}`).set((await custodian()).auth).expect(204);
    const commented = await api().post(`/api/tasks/${presentTaskId}/comments`).set(head.auth).send({ text: NOTE });
    expect(commented.status, JSON.stringify(commented.body)).to.equal(204);
  });

  const carries = (body: unknown) => {
    const text = JSON.stringify(body);
    return text.includes(SUMMARY) || text.includes(NOTE) || text.includes('สอบสวนวินัย');
  };

  it('hides it in instance history and detail from administrators, executives and designers who may not read the letter, and shows it to a reader', async () => {
    for (const who of [admin, director, designer]) {
      const history = await api().get(`/api/workflow/instances/${instanceId}/history`).set(who.auth);
      expect(history.status, JSON.stringify(history.body)).to.equal(200);
      expect(carries(history.body), 'history').to.equal(false);
      const detail = await api().get(`/api/workflow/instances/${instanceId}`).set(who.auth);
      expect(detail.status).to.equal(200);
      expect(detail.body.tasks.every((t: { title: string | null }) => t.title === null), 'task titles').to.equal(true);
      const monitor = await api().get(`/api/monitor/instances/${instanceId}`).set(who.auth);
      expect(monitor.status).to.equal(200);
      expect(carries(monitor.body), 'monitor').to.equal(false);
    }
    // A reader of the letter sees it.
    const history = await api().get(`/api/workflow/instances/${instanceId}/history`).set(clerk.auth);
    expect(history.status).to.equal(200);
    expect(JSON.stringify(history.body)).to.include(SUMMARY);
    const detail = await api().get(`/api/workflow/instances/${instanceId}`).set(clerk.auth);
    expect(detail.body.tasks.every((t: { title: string | null }) => typeof t.title === 'string'), 'task titles').to.equal(true);
    const route = await api().get(`/api/documents/${documentId}/route`).set(clerk.auth);
    expect(route.body.done[0].note).to.equal(SUMMARY);
    const comments = await api().get(`/api/tasks/${presentTaskId}/comments`).set((await login('sectionhead')).auth);
    expect(comments.body.items.map((c: { text: string }) => c.text)).to.deep.equal([NOTE]);
  });

  it('hides it in the inbox, a task and its comments from a candidate who may not read the letter, refuses the route and pushes none of it', async () => {
    // A second routing of the letter: its first step is offered to every registry clerk.
    const started = await api().post('/api/workflow/instances').set(clerk.auth).send({ processKey: 'incoming_letter', documentId });
    expect(started.status, JSON.stringify(started.body)).to.equal(201);
    const screen = started.body.tasks[0].id as number;
    await api().post(`/api/tasks/${screen}/comments`).set(clerk.auth).send({ text: NOTE }).expect(204);

    const inbox = await api().get('/api/tasks').query({ limit: 200 }).set(otherClerk.auth);
    const offered = inbox.body.items.find((t: { id: number }) => t.id === screen);
    expect(offered, 'offered to the other clerk').to.not.equal(undefined);
    expect(offered.title).to.equal(null);
    const task = await api().get(`/api/tasks/${screen}`).set(otherClerk.auth);
    expect(task.status).to.equal(200);
    expect(task.body.title).to.equal(null);
    expect(task.body.may.complete, 'a step on a letter is completed by its readers only').to.equal(false);
    const comments = await api().get(`/api/tasks/${screen}/comments`).set(otherClerk.auth);
    expect(comments.status).to.equal(200);
    expect(comments.body.items.map((c: { text: string | null }) => c.text)).to.deep.equal([null]);
    expect((await api().get(`/api/documents/${documentId}/route`).set(otherClerk.auth)).status).to.equal(404);

    const asReader = await api().get(`/api/tasks/${screen}/comments`).set(clerk.auth);
    expect(asReader.body.items.map((c: { text: string | null }) => c.text)).to.deep.equal([NOTE]);
    expect((await api().get(`/api/tasks/${screen}`).set(clerk.auth)).body.title).to.be.a('string');
    // Nor do pushed events carry it.
    const events = await OutboxEvent.findAll({ where: { organisationId: (await orgByCode('สธ 02')).id }, order: [['id', 'DESC']], limit: 500 });
    for (const e of events) expect(carries(e.get({ plain: true })), `event ${e.get('type')}`).to.equal(false);
  });

});

describe('the secrets custodian’s role in the audit chain', () => {
  it('appends an audit entry when someone is given or loses the secrets custodian’s role, by any route', async () => {
    const admin = await login('admin');
    const org = await orgByCode('สธ 02');
    const group = (await Group.findOne({ where: { organisationId: org.id, key: 'secrets_custodian' } }))!;
    const staff = (await Group.findOne({ where: { organisationId: org.id, key: 'staff' } }))!;
    const user = await buildUser(org.id, { roles: ['staff'] });
    const adminId = (await User.findOne({ where: { username: 'admin' } }))!.id;
    const entries = async () =>
      (await AuditRecord.findAll({ where: { entityType: 'group', entityId: String(group.id) }, order: [['seq', 'ASC']] }))
        .map((r) => ({ action: r.action, actorId: r.actorId, data: JSON.parse(r.data) }))
        .filter((r) => r.data.userId === user.id);

    await api().put(`/api/groups/${group.id}/members/${user.id}`).set(admin.auth).expect(204);
    await api().put(`/api/groups/${group.id}/members/${user.id}`).set(admin.auth).expect(204); // already: nothing to record
    await api().delete(`/api/groups/${group.id}/members/${user.id}`).set(admin.auth).expect(204);
    const patched = await api().patch(`/api/users/${user.id}`).set(admin.auth).send({ groupIds: [staff.id, group.id] });
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
    await api().patch(`/api/users/${user.id}`).set(admin.auth).send({ groupIds: [staff.id] }).expect(200);
    await api().put(`/api/groups/${staff.id}/members/${user.id}`).set(admin.auth).expect(204); // another group: not this trail

    const grant = { action: 'group.member.added', actorId: adminId, data: { group: 'secrets_custodian', userId: user.id } };
    const removal = { ...grant, action: 'group.member.removed' };
    expect(await entries()).to.deep.equal([grant, removal, grant, removal]);

    const created = await api().post(`/api/organisations/${org.id}/users`).set(admin.auth).send({
      username: `custodian${Date.now()}`, password: 'a-Long-password-1', prefixTh: 'นาย', firstNameTh: 'ผู้ดูแล', lastNameTh: 'ความลับ', nameEn: 'Keeper', groupIds: [group.id, staff.id],
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const made = await AuditRecord.findOne({ where: { entityType: 'group', entityId: String(group.id), action: 'group.member.added' }, order: [['seq', 'DESC']] });
    expect(JSON.parse(made!.data)).to.deep.equal({ group: 'secrets_custodian', userId: created.body.id });

    const verify = await api().get('/api/audit/verify').set(admin.auth);
    expect(verify.status).to.equal(200);
    expect(verify.body.ok).to.equal(true);
  });
});
