// The sending in the letter's route (GET /documents/:id/route), the rate limit of the public
// confirmation links, and the demo's circular between its offices.
import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../server/app';
import { Delivery, Document, Organisation } from '../../server/db/models';
import { api } from '../helpers/factories';
import { testEnv } from '../helpers/env';
import { act, Cast, numberedLetter, send, theCast, tray, useTempFiles } from './helpers';

type Step = { status: string; actorName: string | null; organisationName: string | null; note: string | null };
type Sending = { deliveryId: number; status: string; recipient: { organisationId: number | null; name: string }; receipt: { number: number } | null; steps: Step[] };

describe('deliveries in the route, the confirmation links and the demo', () => {
  useTempFiles();
  let c: Cast;
  before(async () => {
    c = await theCast();
  });

  const route = (auth: Record<string, string>, id: number) => api().get(`/api/documents/${id}/route`).set(auth);

  it("shows the send and every status change in the letter's route, to those who read the letter, on both sides", async () => {
    const documentId = await numberedLetter(c.clerk, { subject: 'ขอให้รายงานผลการตรวจสอบคุณภาพน้ำประปา' });
    const sent = await send(c.clerk, documentId, [{ organisationId: c.cm.id }, { organisationId: c.kk.id }]);
    const [toCm, toKk] = sent.body.items.map((d: { id: number }) => d.id);
    const accepted = await act(c.cmClerk, toCm, 'accept');
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200);
    expect((await act(c.kkClerk, toKk, 'reject', { reason: 'ไม่มีประปาในความรับผิดชอบ' })).status).to.equal(200);

    const res = await route(c.clerk.auth, documentId);
    expect(res.status).to.equal(200);
    const sending = res.body.sending as Sending[];
    expect(sending.map((s) => [s.recipient.organisationId, s.status])).to.deep.equal([[c.cm.id, 'received'], [c.kk.id, 'rejected']]);
    expect(sending[0].receipt!.number).to.equal(accepted.body.entry.number);
    expect(sending[0].steps.map((s) => s.status)).to.deep.equal(['sent', 'delivered', 'received']);
    expect(sending[0].steps[0]).to.include({ actorName: 'นางสาวกัญญา สายใจ', organisationName: c.central.nameTh });
    expect(sending[1].steps.map((s) => [s.status, s.note])).to.deep.equal([['sent', null], ['delivered', null], ['rejected', 'ไม่มีประปาในความรับผิดชอบ']]);

    // The received letter's route says where it came from.
    const received = await route(c.cmClerk.auth, accepted.body.receivedDocumentId);
    expect(received.status).to.equal(200);
    expect((received.body.sending as Sending[]).map((s) => [s.deliveryId, s.steps.map((x) => x.status)])).to.deep.equal([[toCm, ['sent', 'delivered', 'received']]]);

    // The route is the letter's: a recipient's clerk reads its own copy's route, never the sender's letter.
    expect((await route(c.kkClerk.auth, documentId)).status).to.equal(404);
  });

  it('answers 429 in the JSON error shape once an address has used up its confirmation-link requests', async () => {
    const { ctx } = testEnv();
    // An app of its own with a small limit: the suite's app keeps its default for the other tests.
    const app = createApp({ ...ctx, config: { ...ctx.config, confirmRateLimit: { max: 3, windowMs: 60_000 } } });
    const forged = '1.AAAAAAAAAAAAAAAAAAAAAAAA.9999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    for (let i = 0; i < 3; i++) expect((await request(app).get(`/api/deliveries/confirm/${forged}`)).status).to.equal(404);
    const limited = await request(app).post(`/api/deliveries/confirm/${forged}`).send({});
    expect(limited.status).to.equal(429);
    expect(limited.body.error.code).to.equal('too_many_requests');
    expect(limited.headers['retry-after']).to.equal('60');
  });

  it("seeds the demo's circular: sent to both provincial offices, accepted by Chiang Mai, waiting in Khon Kaen's tray", async () => {
    const subject = 'ขอให้เฝ้าระวังและรายงานสถานการณ์โรคไข้เลือดออกในพื้นที่';
    const circular = (await Document.findOne({ where: { subject, organisationId: c.central.id } }))!;
    expect(circular.letterNumber).to.match(/^สธ 0201\.1\/ว \d+$/);
    const rows = await Delivery.findAll({ where: { documentId: circular.id }, order: [['id', 'ASC']] });
    const cm = (await Organisation.findOne({ where: { agencyCode: 'ชม 0033' } }))!;
    expect(rows.map((d) => [Number(d.recipientOrganisationId), d.status])).to.deep.equal([[cm.id, 'received'], [c.kk.id, 'delivered']]);
    expect(rows[0].receiveNumber).to.be.a('number');
    expect((await tray(c.kkClerk)).map((d) => d.id)).to.include(Number(rows[1].id));
    const received = (await Document.findByPk(rows[0].receivedDocumentId!))!;
    expect(received).to.include({ organisationId: cm.id, direction: 'incoming', status: 'registered', letterNumber: circular.letterNumber });
  });
});
