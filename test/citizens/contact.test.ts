// Who sees a citizen's contact data (address, phone, e-mail, the masked ID number): the registry
// clerks of the organisation written to and the people working on that letter (a task of a process
// run on it), nobody else of the organisation and nobody of another one — by the letter, by the
// submission and by the tray line.
import { expect } from 'chai';
import { CitizenSubmission, MailMessage } from '../../server/db/models';
import { api, buildUser, login, Session } from '../helpers/factories';
import { act, Cast, sessionIn, theCast, tray, useTempFiles } from '../deliveries/helpers';
import { citizenApp, form, solvedProof, submitForm } from './helpers';

describe("the citizen's contact data: registry clerks and the people working on the letter", () => {
  useTempFiles();
  let c: Cast;
  let worker: Session, colleague: Session, otherStaff: Session;
  let workerId: number;
  before(async function () {
    this.timeout(120000);
    c = await theCast();
    const w = await buildUser(c.central.id, { roles: ['staff'] });
    workerId = Number(w.id);
    worker = await login(w.username);
    colleague = await sessionIn(c.central.id, ['staff']);
    otherStaff = await sessionIn(c.cm.id, ['staff']);
  });
  after(() => MailMessage.destroy({ where: { kind: 'citizen' } }));

  it('shows it to the clerk and to whoever the letter is forwarded to, and to no other staff or organisation', async function () {
    this.timeout(60000);
    const app = citizenApp();
    const fields = form({ email: 'contact.rule@example.com', phone: '089-765-4321', subject: 'ขอทราบผลการตรวจสุขภาพประจำปี', address: '12 ซอยทดสอบสิทธิ์ แขวงลาดยาว เขตจตุจักร กรุงเทพฯ' });
    expect((await submitForm(app, 'MOPH-OPS', fields, await solvedProof(app))).status).to.equal(201);
    const line = (await tray(c.clerk)).find((d) => d.letter.subject === fields.subject)!;
    const s = (await CitizenSubmission.findOne({ where: { deliveryId: line.id } }))!;
    const accepted = await act(c.clerk, line.id, 'accept');
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200);
    const letter = Number(accepted.body.receivedDocumentId);

    const byLetter = (who: Session, documentId = letter) => api().get('/api/citizens/submissions').query({ documentId }).set(who.auth);
    const one = (who: Session) => api().get(`/api/citizens/submissions/${s.id}`).set(who.auth);
    const leaks = (body: unknown) => ['contact.rule@example.com', '089-765-4321', 'ซอยทดสอบสิทธิ์'].filter((x) => JSON.stringify(body).includes(x));

    const clerk = await byLetter(c.clerk);
    expect(clerk.status).to.equal(200);
    expect(clerk.body.items[0]).to.include({ email: 'contact.rule@example.com', phone: '089-765-4321', id: Number(s.id) });
    expect((await byLetter(c.clerk, Number(s.documentId))).body.items, 'the tray copy leads to it too').to.have.length(1);

    // Not yet working on the letter: an empty list by the letter, 403 by the submission, 403 on the clerks' list.
    for (const who of [worker, colleague]) {
      const res = await byLetter(who);
      expect(res.status).to.equal(200);
      expect(res.body.items).to.deep.equal([]);
      expect((await one(who)).status).to.equal(403);
      expect((await api().get('/api/citizens/submissions').query({ deliveryId: line.id }).set(who.auth)).status).to.equal(403);
    }

    // The clerk forwards the letter: the worker gets a task on it and with it the contact data.
    const fwd = await api().post(`/api/documents/${letter}/forward`).set(c.clerk.auth).send({ toUserId: workerId, note: 'โปรดตอบผู้ร้อง' });
    expect(fwd.status, JSON.stringify(fwd.body)).to.equal(201);
    const mine = await byLetter(worker);
    expect(mine.body.items[0]).to.include({ email: 'contact.rule@example.com', address: fields.address, idNumberMasked: `•••••••••${fields.idNumber.slice(-4)}` });
    expect((await one(worker)).status).to.equal(200);
    expect(JSON.stringify(mine.body)).to.not.contain(fields.idNumber);

    // Others: the colleague who has no task on it, another organisation's clerk and staff.
    const others: Array<[Session, string]> = [[colleague, 'a colleague without a task'], [c.cmClerk, "another organisation's clerk"], [otherStaff, "another organisation's staff"]];
    for (const [who, label] of others) {
      const calls = [await byLetter(who), await one(who), await api().get('/api/citizens/submissions').query({ deliveryId: line.id }).set(who.auth), await api().get('/api/citizens/submissions').set(who.auth)];
      for (const res of calls) expect(leaks(res.body), `${label}: ${res.status}`).to.deep.equal([]);
      expect((await byLetter(who)).body.items ?? [], label).to.deep.equal([]);
      expect((await one(who)).status, label).to.be.oneOf([403, 404]);
    }
    expect((await one(c.cmClerk)).status, 'another organisation does not learn it exists').to.equal(404);
  });
});
