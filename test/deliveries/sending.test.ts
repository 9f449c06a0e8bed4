// Sending a numbered letter to organisations of the deployment and what each recipient does with
// it: accept (registered, with its receive number and routing), reject (with a reason), return.
import { expect } from 'chai';
import { api } from '../helpers/factories';
import { buddhistYear } from '../../server/lib/thai-date';
import { Attachment, AuditRecord, Delivery, DeliveryEvent, Document, OutboxEvent, ProcessInstance, RegisterEntry } from '../../server/db/models';
import { act, Cast, numberedLetter, registerOf, send, sessionIn, theCast, tray, useTempFiles } from './helpers';

describe('sending letters between organisations', () => {
  useTempFiles();
  let c: Cast;
  before(async () => {
    c = await theCast();
  });

  it('sends a circular to three organisations in one go; each accepts, rejects or returns it, and the sender sees every status', async function () {
    this.timeout(30000);
    const documentId = await numberedLetter(c.clerk, { subject: 'ขอให้รายงานผลการเฝ้าระวังโรคไข้เลือดออก', urgency: 'very_urgent' }, 'circular');
    const letter = (await api().get(`/api/documents/${documentId}`).set(c.clerk.auth)).body;
    expect(letter.letterNumber).to.match(/ว \d+$/);
    const eventsBefore = Number((await OutboxEvent.max('id')) ?? 0);

    const sent = await send(c.clerk, documentId, [{ organisationId: c.cm.id }, { organisationId: c.kk.id }, { organisationId: c.third.id, role: 'copy' }]);
    expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    expect(sent.body.items.map((d: { status: string; recipient: { organisationId: number }; role: string }) => [d.recipient.organisationId, d.status, d.role]))
      .to.deep.equal([[c.cm.id, 'delivered', 'to'], [c.kk.id, 'delivered', 'to'], [c.third.id, 'delivered', 'copy']]);
    expect((await api().get(`/api/documents/${documentId}`).set(c.clerk.auth)).body.status).to.equal('sent');
    // Each arrival is announced to the recipient's clerks through the outbox, written with the send.
    const arrived = await OutboxEvent.findAll({ where: { type: 'delivery.arrived' } });
    expect(arrived.filter((e) => Number(e.id) > eventsBefore).map((e) => e.organisationId).sort()).to.deep.equal([c.cm.id, c.kk.id, c.third.id].sort());

    const byOrg = new Map<number, number>(sent.body.items.map((d: { id: number; recipient: { organisationId: number } }) => [d.recipient.organisationId, d.id]));
    for (const [s, org] of [[c.cmClerk, c.cm], [c.kkClerk, c.kk], [c.thirdClerk, c.third]] as const) {
      const item = (await tray(s)).find((d) => d.id === byOrg.get(org.id));
      expect(item, `in the tray of ${org.nameTh}`).to.exist;
      expect(item!.sender).to.include({ organisationId: c.central.id, agencyCode: 'สธ 02' });
      expect(item!.letter).to.include({ letterNumber: letter.letterNumber, urgency: 'very_urgent', urgencyTh: 'ด่วนมาก', subject: letter.subject });
      expect(item!.documentId, "the sender's document id is not the recipient's").to.equal(null);
      expect(item!.files.map((f: { filename: string }) => f.filename)).to.deep.equal(['หนังสือส่ง.pdf']);
      expect(item!.may).to.include({ accept: true, reject: true, return: true, withdraw: false });
      const file = await api().get(`/api/deliveries/${item!.id}/files/${item!.files[0].id}`).set(s.auth).buffer(true);
      expect(file.status).to.equal(200);
      expect(file.headers['content-type']).to.equal('application/pdf');
      expect(file.body.toString('latin1')).to.match(/^%PDF-1\.4/);
      // The clerk reads the file through the delivery, not the sender's document.
      expect((await api().get(`/api/documents/${documentId}`).set(s.auth)).status).to.equal(404);
    }

    // Chiang Mai accepts: registered in its incoming register in the same transaction, as a document of its own.
    const incomingBook = await registerOf(c.cmClerk, 'incoming');
    const accepted = await act(c.cmClerk, byOrg.get(c.cm.id)!, 'accept');
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200);
    expect(accepted.body.entry.registerId).to.equal(incomingBook);
    expect(accepted.body.delivery.received).to.include({ number: accepted.body.entry.number, year: buddhistYear(new Date()), documentId: accepted.body.receivedDocumentId });
    const copy = (await api().get(`/api/documents/${accepted.body.receivedDocumentId}`).set(c.cmClerk.auth)).body;
    expect(copy).to.include({ organisationId: c.cm.id, direction: 'incoming', status: 'registered', letterNumber: letter.letterNumber, letterDate: letter.letterDate, urgency: 'very_urgent', subject: letter.subject });
    expect(copy.registration).to.include({ registerId: incomingBook, number: accepted.body.entry.number });
    const files = await Attachment.findAll({ where: { documentId: [documentId, copy.id] } });
    expect(new Set(files.map((f) => f.sha256)).size, 'the same file, stored once').to.equal(1);
    expect(files).to.have.length(2);
    const cameFrom = await api().get(`/api/documents/${copy.id}/deliveries`).set(c.cmClerk.auth);
    expect(cameFrom.body.items.map((d: { id: number; sender: { organisationId: number }; documentId: number | null }) => [d.id, d.sender.organisationId, d.documentId]), 'the received letter keeps its link to the sent one')
      .to.deep.equal([[byOrg.get(c.cm.id), c.central.id, null]]);
    const routed = await ProcessInstance.findAll({ where: { documentId: copy.id } });
    expect(routed.map((i) => i.processKey)).to.deep.equal(['incoming_letter']);
    expect(accepted.body.instanceId).to.equal(Number(routed[0].id));

    // Khon Kaen rejects (a reason is needed); the third returns it as wrong recipient, in one click.
    expect((await act(c.kkClerk, byOrg.get(c.kk.id)!, 'reject', {})).status).to.equal(400);
    const rejected = await act(c.kkClerk, byOrg.get(c.kk.id)!, 'reject', { reason: 'ไม่ใช่หน่วยงานที่รับผิดชอบเรื่องนี้' });
    expect(rejected.status, JSON.stringify(rejected.body)).to.equal(200);
    const returned = await act(c.thirdClerk, byOrg.get(c.third.id)!, 'return');
    expect(returned.status, JSON.stringify(returned.body)).to.equal(200);
    expect((await tray(c.kkClerk)).map((d) => d.id)).to.not.include(byOrg.get(c.kk.id));

    const page = await api().get(`/api/documents/${documentId}/deliveries`).set(c.clerk.auth);
    expect(page.status).to.equal(200);
    const status = Object.fromEntries(page.body.items.map((d: { recipient: { organisationId: number }; status: string; received: { number: number } | null; reason: string | null }) => [d.recipient.organisationId, [d.status, d.received?.number ?? null, d.reason]]));
    expect(status).to.deep.equal({
      [c.cm.id]: ['received', accepted.body.entry.number, null],
      [c.kk.id]: ['rejected', null, 'ไม่ใช่หน่วยงานที่รับผิดชอบเรื่องนี้'],
      [c.third.id]: ['returned', null, 'ส่งผิดหน่วยงาน'],
    });
    expect(page.body.items[0].received.documentId, "the receiver's document stays the receiver's").to.equal(null);
    // Every step is in both organisations' audit chains.
    const audited = await AuditRecord.findAll({ where: { entityType: 'delivery', entityId: String(byOrg.get(c.cm.id)) } });
    expect(audited.map((a) => [a.organisationId, a.action]).filter(([, x]) => x === 'delivery.received').map(([o]) => o).sort()).to.deep.equal([c.central.id, c.cm.id].sort());
    const history = await api().get(`/api/deliveries/${byOrg.get(c.cm.id)}`).set(c.clerk.auth);
    expect(history.body.history.map((h: { status: string }) => h.status)).to.deep.equal(['sent', 'delivered', 'received']);
  });

  it('refuses an unnumbered letter (409), an unknown or inactive recipient (422 naming it), its own organisation (403) and a sender who is not a clerk (403)', async () => {
    const draft = await api().post('/api/documents').set(c.clerk.auth).send({ direction: 'outgoing', type: 'external', subject: 'ร่างหนังสือยังไม่ออกเลข' });
    const unnumbered = await send(c.clerk, draft.body.id, [{ organisationId: c.cm.id }]);
    expect(unnumbered.status).to.equal(409);
    expect(unnumbered.body.error.code).to.equal('conflict');

    const documentId = await numberedLetter(c.clerk, {}, 'outgoing', false);
    const unknown = await send(c.clerk, documentId, [{ organisationId: c.cm.id }, { organisationId: 987654 }]);
    expect(unknown.status).to.equal(422);
    expect(unknown.body.error.message).to.contain('987654');
    expect(unknown.body.error.details).to.deep.equal([{ field: 'recipients.1.organisationId', message: 'unknown organisation 987654' }]);
    await c.third.update({ active: false });
    try {
      const inactive = await send(c.clerk, documentId, [{ organisationId: c.third.id }]);
      expect(inactive.status).to.equal(422);
      expect(inactive.body.error.message).to.contain(c.third.nameTh);
    } finally {
      await c.third.update({ active: true });
    }
    const own = await send(c.clerk, documentId, [{ organisationId: c.central.id }]);
    expect(own.status).to.equal(403);
    const officer = await send(await sessionIn(c.central.id, ['staff']), documentId, [{ organisationId: c.cm.id }]);
    expect(officer.status).to.equal(403);
    expect(await Delivery.count({ where: { documentId } }), 'nothing half-written').to.equal(0);

    const once = await send(c.clerk, documentId, [{ organisationId: c.cm.id }]);
    expect(once.status).to.equal(201);
    const twice = await send(c.clerk, documentId, [{ organisationId: c.kk.id }, { organisationId: c.cm.id }]);
    expect(twice.status, 'already on its way to Chiang Mai').to.equal(409);
    expect(await Delivery.count({ where: { documentId } })).to.equal(1);
  });

  it('lets one of two clerks accepting at once win; the other gets 409 naming the winner, and the register has one line', async function () {
    this.timeout(30000);
    const second = await sessionIn(c.cm.id, ['registry_clerk', 'staff']);
    const documentId = await numberedLetter(c.clerk, { subject: 'แจ้งกำหนดการตรวจราชการ' }, 'outgoing', false);
    const deliveryId = (await send(c.clerk, documentId, [{ organisationId: c.cm.id }])).body.items[0].id;
    const results = await Promise.all([act(c.cmClerk, deliveryId, 'accept'), act(second, deliveryId, 'accept')]);
    expect(results.map((r) => r.status).sort()).to.deep.equal([200, 409]);
    const loser = results.find((r) => r.status === 409)!;
    const winner = results.find((r) => r.status === 200)!;
    expect(loser.body.error.details).to.include({ receiveNumber: winner.body.entry.number, receivedById: winner.body.delivery.received.byId });
    expect(loser.body.error.message).to.contain(winner.body.delivery.received.byName);
    const copies = (await Delivery.findByPk(deliveryId))!.receivedDocumentId;
    expect(await RegisterEntry.count({ where: { documentId: copies } })).to.equal(1);
    expect(await Document.count({ where: { organisationId: c.cm.id, subject: 'แจ้งกำหนดการตรวจราชการ' } }), 'one received document').to.equal(1);
    expect((await act(c.cmClerk, deliveryId, 'reject', { reason: 'ลงรับแล้วแต่ขอปฏิเสธ' })).status).to.equal(409);
  });

  it('withdraws a letter not yet accepted and resends it as a new delivery, keeping the history; a withdrawn one cannot be accepted', async () => {
    const documentId = await numberedLetter(c.clerk, { subject: 'ขอเชิญประชุมชี้แจงแนวทาง' }, 'outgoing', false);
    const first = (await send(c.clerk, documentId, [{ organisationId: c.kk.id }])).body.items[0].id;
    expect((await act(c.kkClerk, first, 'withdraw')).status, "the recipient does not withdraw the sender's letter").to.equal(404);
    const withdrawn = await act(c.clerk, first, 'withdraw', { reason: 'แก้ไขวันประชุม' });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).to.equal(200);
    expect(withdrawn.body).to.include({ status: 'withdrawn', reason: 'แก้ไขวันประชุม' });
    expect((await tray(c.kkClerk)).map((d) => d.id)).to.not.include(first);
    const late = await act(c.kkClerk, first, 'accept');
    expect(late.status).to.equal(409);
    expect(late.body.error.details.status).to.equal('withdrawn');
    expect((await act(c.clerk, first, 'withdraw')).status, 'already withdrawn').to.equal(409);

    const again = await act(c.clerk, first, 'resend');
    expect(again.status, JSON.stringify(again.body)).to.equal(201);
    expect(again.body).to.include({ status: 'delivered', previousDeliveryId: first });
    expect((await act(c.clerk, first, 'resend')).status, 'resent once').to.equal(409);
    expect((await act(c.clerk, again.body.id, 'resend')).status, 'an open delivery is not resent').to.equal(409);
    const old = await api().get(`/api/deliveries/${first}`).set(c.clerk.auth);
    expect(old.body).to.include({ status: 'withdrawn', resentAsId: again.body.id });
    expect(old.body.history.map((h: { status: string }) => h.status)).to.deep.equal(['sent', 'delivered', 'withdrawn']);
    expect((await act(c.kkClerk, again.body.id, 'accept')).status).to.equal(200);
    expect((await act(c.clerk, again.body.id, 'withdraw')).status, 'accepted: too late to withdraw').to.equal(409);
    expect(await DeliveryEvent.count({ where: { deliveryId: [first, again.body.id] } })).to.equal(6);
  });

  it('keeps the number of a letter some recipient holds: voiding it is refused (409) until the open deliveries are withdrawn', async () => {
    const documentId = await numberedLetter(c.clerk, { subject: 'แจ้งกำหนดการตรวจราชการ' }, 'outgoing', false);
    const delivery = (await send(c.clerk, documentId, [{ organisationId: c.kk.id }])).body.items[0].id;
    const entry = await RegisterEntry.findOne({ where: { documentId, status: 'registered' } });
    const voidIt = () => api().post(`/api/register-entries/${entry!.id}/void`).set(c.clerk.auth).send({ reason: 'ออกเลขผิดเล่ม' });
    const refused = await voidIt();
    expect(refused.status, JSON.stringify(refused.body)).to.equal(409);
    expect((await Document.findByPk(documentId))!.registerNumber, 'still numbered').to.equal(entry!.number);
    expect((await act(c.clerk, delivery, 'withdraw', { reason: 'ออกเลขผิดเล่ม' })).status).to.equal(200);
    expect((await voidIt()).status).to.equal(200);
  });

  it("keeps every tray to its organisation: another organisation's clerk gets 404 for a delivery not theirs", async () => {
    const documentId = await numberedLetter(c.clerk, { subject: 'เรื่องเฉพาะจังหวัดเชียงใหม่' });
    const d = (await send(c.clerk, documentId, [{ organisationId: c.cm.id }])).body.items[0];
    expect((await tray(c.kkClerk)).map((x) => x.id)).to.not.include(d.id);
    for (const path of [`/api/deliveries/${d.id}`, `/api/deliveries/${d.id}/files/${d.files[0].id}`]) {
      const res = await api().get(path).set(c.kkClerk.auth);
      expect(res.status, path).to.equal(404);
      expect(res.body.error.code).to.equal('not_found');
    }
    for (const action of ['accept', 'return'] as const) expect((await act(c.kkClerk, d.id, action)).status).to.equal(404);
    expect((await act(c.kkClerk, d.id, 'reject', { reason: 'ไม่ใช่ของเรา' })).status).to.equal(404);
    const cmStaff = await sessionIn(c.cm.id, ['staff']);
    expect((await api().get('/api/deliveries/arrivals').set(cmStaff.auth)).status, 'not a clerk').to.equal(403);
    expect((await api().get(`/api/deliveries/${d.id}`).set(cmStaff.auth)).status).to.equal(404);
    expect((await act(c.cmClerk, d.id, 'return')).status).to.equal(200);
  });

  it('lists sent deliveries not yet received for more than N hours', async () => {
    const documentId = await numberedLetter(c.clerk, { subject: 'ติดตามการส่งรายงาน' }, 'outgoing', false);
    const [stale, fresh] = (await send(c.clerk, documentId, [{ organisationId: c.cm.id }, { organisationId: c.kk.id }])).body.items.map((d: { id: number }) => d.id);
    await Delivery.update({ sentAt: new Date(Date.now() - 30 * 3_600_000) }, { where: { id: stale } });
    const res = await api().get('/api/deliveries/outgoing').query({ pending: 'true', olderThanHours: 24 }).set(c.clerk.auth);
    expect(res.status).to.equal(200);
    const ids = res.body.items.map((d: { id: number }) => d.id);
    expect(ids).to.include(stale);
    expect(ids).to.not.include(fresh);
    expect(res.body.items.every((d: { status: string }) => ['sent', 'delivered'].includes(d.status))).to.equal(true);
    expect((await api().get('/api/deliveries/outgoing').query({ documentId }).set(c.clerk.auth)).body.items).to.have.length(2);
  });

  it('declares every delivery route in the OpenAPI document', async () => {
    const doc = (await api().get('/api/openapi.json')).body;
    for (const p of ['/documents/{id}/send', '/documents/{id}/deliveries', '/deliveries/outgoing', '/deliveries/arrivals', '/deliveries/{id}', '/deliveries/{id}/files/{fileId}',
      '/deliveries/{id}/accept', '/deliveries/{id}/reject', '/deliveries/{id}/return', '/deliveries/{id}/withdraw', '/deliveries/{id}/resend']) {
      expect(doc.paths, p).to.have.property(p);
    }
  });
});
