// A secret letter reaches only the recipient's secrets custodian and lands in its secret register;
// arrivals and receipts reach the clerks' sockets live.
import http from 'node:http';
import { expect } from 'chai';
import { api, buildUser, login, Session } from '../helpers/factories';
import { connect, listen, TestClient, tokenFor } from '../helpers/realtime';
import { testEnv } from '../helpers/env';
import { AuditRecord, Document, User } from '../../server/db/models';
import { attachRealtime, Realtime } from '../../server/modules/notify/realtime';
import { act, Cast, numberedLetter, registerOf, send, theCast, tray, useTempFiles } from './helpers';

describe('secret letters and live arrivals', () => {
  useTempFiles();
  let c: Cast;
  let centralCustodian: Session, cmCustodian: Session;
  let cmCustodianUser: User;
  before(async () => {
    c = await theCast();
    centralCustodian = await login((await buildUser(c.central.id, { roles: ['secrets_custodian', 'staff'] })).username);
    cmCustodianUser = await buildUser(c.cm.id, { roles: ['secrets_custodian', 'staff'] });
    cmCustodian = await login(cmCustodianUser.username);
  });

  it('sends a secret letter only to the recipient custodian, who registers it in the secret register', async function () {
    this.timeout(30000);
    const documentId = await numberedLetter(centralCustodian, { secrecy: 'confidential', subject: 'ผลการสอบสวนข้อเท็จจริงกรณีร้องเรียน' }, 'secret');
    expect((await send(c.clerk, documentId, [{ organisationId: c.cm.id }])).status, 'the clerk does not even see it').to.equal(404);
    const nobody = await send(centralCustodian, documentId, [{ organisationId: c.kk.id }]);
    expect(nobody.status, 'Khon Kaen has no custodian to receive it').to.equal(422);
    expect(nobody.body.error.message).to.contain(c.kk.nameTh);
    const sent = await send(centralCustodian, documentId, [{ organisationId: c.cm.id }]);
    expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    const deliveryId = sent.body.items[0].id;

    expect((await tray(c.cmClerk)).map((d) => d.id), 'not in the clerks’ tray').to.not.include(deliveryId);
    expect((await api().get(`/api/deliveries/${deliveryId}`).set(c.cmClerk.auth)).status).to.equal(404);
    expect((await act(c.cmClerk, deliveryId, 'accept')).status).to.equal(404);
    const outgoing = await api().get('/api/deliveries/outgoing').query({ documentId }).set(c.clerk.auth);
    expect(outgoing.body.items, "the sender's clerk does not see the secret send").to.deep.equal([]);

    const item = (await tray(cmCustodian)).find((d) => d.id === deliveryId);
    expect(item, 'in the custodian’s tray').to.exist;
    expect(item!.letter).to.include({ secrecy: 'confidential', secrecyTh: 'ลับ' });
    const file = await api().get(`/api/deliveries/${deliveryId}/files/${item!.files[0].id}`).set(cmCustodian.auth);
    expect(file.status).to.equal(200);
    const reads = await AuditRecord.findAll({ where: { organisationId: c.cm.id, entityType: 'delivery', entityId: String(deliveryId), action: 'delivery.read' } });
    expect(reads.map((r) => JSON.parse(r.data).what), "reading a secret letter in the tray is logged in the reader's chain").to.include.members(['arrivals tray', `file ${item!.files[0].id}`]);

    const accepted = await act(cmCustodian, deliveryId, 'accept');
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200);
    expect(accepted.body.entry.registerId).to.equal(await registerOf(cmCustodian, 'secret'));
    const copy = await api().get(`/api/documents/${accepted.body.receivedDocumentId}`).set(cmCustodian.auth);
    expect(copy.body).to.include({ secrecy: 'confidential', direction: 'incoming', organisationId: c.cm.id });
    expect(copy.body.registration.kind).to.equal('secret');
    expect((await api().get(`/api/documents/${accepted.body.receivedDocumentId}`).set(c.cmClerk.auth)).status, 'the received secret letter stays secret').to.equal(404);
    const entries = await api().get(`/api/registers/${await registerOf(c.cmClerk, 'incoming')}/entries`).set(c.cmClerk.auth);
    expect(entries.body.items.map((e: { documentId: number }) => e.documentId)).to.not.include(accepted.body.receivedDocumentId);
  });

  it('refuses to send a top secret letter (422)', async () => {
    const documentId = await numberedLetter(centralCustodian, { secrecy: 'secret', subject: 'แผนปฏิบัติการพิเศษ' }, 'secret', false);
    // A top secret letter cannot be written in the system at all; one marked so afterwards still may not travel.
    await Document.update({ secrecy: 'top_secret' }, { where: { id: documentId } });
    const res = await send(centralCustodian, documentId, [{ organisationId: c.cm.id }]);
    expect(res.status).to.equal(422);
    expect(res.body.error.message).to.contain('ลับที่สุด');
  });

  describe('live', () => {
    let server: http.Server;
    let realtime: Realtime;
    let url: string;
    const clients: TestClient[] = [];
    before(async () => {
      server = http.createServer();
      realtime = await attachRealtime(server, testEnv().ctx, { pollMs: 100, gapGraceMs: 200 });
      url = await listen(server);
    });
    after(async () => {
      for (const client of clients) client.close();
      await realtime.close();
    });
    const socketOf = async (username: string) => {
      const client = await connect(url, { token: await tokenFor((await User.findOne({ where: { username } }))!) });
      clients.push(client);
      return client;
    };

    it("pushes the arrival to the recipient clerk's socket, and the receipt back to the sender's", async function () {
      this.timeout(30000);
      const [cm, kk, sender, custodian] = [await socketOf('cm.clerk'), await socketOf('kk.clerk'), await socketOf('clerk'), await connect(url, { token: await tokenFor(cmCustodianUser) })];
      clients.push(custodian);
      const documentId = await numberedLetter(c.clerk, { subject: 'แจ้งเวียนมาตรการป้องกันโรค', urgency: 'most_urgent' }, 'outgoing', false);
      const deliveryId = (await send(c.clerk, documentId, [{ organisationId: c.cm.id }])).body.items[0].id;
      await cm.waitFor((events) => events.some((e) => e.type === 'delivery.arrived' && e.summary.deliveryId === deliveryId));
      const arrival = cm.events.find((e) => e.type === 'delivery.arrived')!;
      expect(arrival.summary).to.include({ urgency: 'most_urgent', senderOrganisationId: c.central.id });
      expect(JSON.stringify(arrival.summary), 'ids, not the letter').to.not.contain('มาตรการ');

      const accepted = await act(c.cmClerk, deliveryId, 'accept');
      expect(accepted.status).to.equal(200);
      await sender.waitFor((events) => events.some((e) => e.type === 'delivery.received' && e.summary.deliveryId === deliveryId));
      expect(sender.events.find((e) => e.type === 'delivery.received')!.summary).to.include({ receiveNumber: accepted.body.entry.number });

      // A secret arrival goes to the custodian's socket only.
      const secretId = await numberedLetter(centralCustodian, { secrecy: 'confidential', subject: 'เรื่องลับเฉพาะ' }, 'secret', false);
      const secretDelivery = (await send(centralCustodian, secretId, [{ organisationId: c.cm.id }])).body.items[0].id;
      await custodian.waitFor((events) => events.some((e) => e.type === 'delivery.arrived' && e.summary.deliveryId === secretDelivery));
      await realtime.flush();
      expect(cm.events.map((e) => e.summary.deliveryId), 'the clerk hears nothing of it').to.not.include(secretDelivery);
      expect(kk.events.map((e) => e.summary.deliveryId), 'nor does another organisation').to.not.include.members([deliveryId, secretDelivery]);
    });
  });
});
