// The monitor names a registered letter by its เลขรับ, as the office does, and says who holds each
// waiting step: the person who claimed it, or the group it waits for (issue 17).
import { expect } from 'chai';
import { api, login } from '../helpers/factories';
import { incomingLetter, registerOf } from '../registry/helpers';

describe('the monitor with เลขรับ and holders', () => {
  it('shows the receive number of a registered letter and who holds its open step, before and after a claim', async () => {
    const [clerk, director] = await Promise.all([login('clerk'), login('director')]);
    const subject = `ติดตามเลขรับ${Date.now()}`;
    const doc = await api().post('/api/documents').set(clerk.auth).send(incomingLetter({ subject }));
    const entry = await api().post(`/api/registers/${await registerOf('clerk', 'incoming')}/entries`).set(clerk.auth).send({ documentId: doc.body.id });
    expect(entry.status, JSON.stringify(entry.body)).to.equal(201);
    const { number, year } = entry.body.entry as { number: number; year: number };

    const found = await api().get('/api/monitor/instances').query({ q: subject }).set(director.auth);
    expect(found.status, JSON.stringify(found.body)).to.equal(200);
    expect(found.body.items).to.have.length(1);
    expect(found.body.items[0].document.receiveNumber).to.equal(`${number}/${year}`);
    expect(year).to.be.greaterThan(2500); // a B.E. year

    const id = found.body.items[0].id;
    const waiting = await api().get(`/api/monitor/instances/${id}`).set(director.auth);
    expect(waiting.body.document.receiveNumber).to.equal(`${number}/${year}`);
    const [step] = waiting.body.openTasks;
    expect(step.holder).to.match(/^รอผู้รับงาน: .+/);

    expect((await api().post(`/api/tasks/${step.id}/claim`).set(clerk.auth)).status).to.equal(200);
    const me = await api().get('/api/me').set(clerk.auth);
    const claimed = await api().get(`/api/monitor/instances/${id}`).set(director.auth);
    expect(claimed.body.openTasks[0].holder).to.equal(me.body.user.displayName);
  });
});
