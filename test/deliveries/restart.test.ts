// A real server killed between the send and the accept: after a restart the letter is in the tray
// once, is accepted once, and the sender sees the receipt.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createThrowawayDatabase, ThrowawayDatabase } from '../helpers/databases';
import { testDialect } from '../helpers/env';
import { call, freePort, startServer, stopServer, RunningServer } from '../helpers/server';
import { outgoingLetter } from '../registry/helpers';
import { DEMO_PASSWORD } from '../helpers/factories';

const JWT_SECRET = 'deliveries-restart-test-secret-0123456789';

describe('deliveries across a server crash', () => {
  let db: ThrowawayDatabase;
  let dir: string;
  let server: RunningServer | undefined;
  const start = async () => (server = await startServer({ DATABASE_URL: db.url, DATA_DIR: dir, JWT_SECRET }, await freePort()));
  before(async function () {
    this.timeout(60000);
    db = await createThrowawayDatabase(testDialect(), 'restart');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'saraban-restart-'));
  });
  after(async function () {
    this.timeout(60000);
    if (server) await stopServer(server.child, 'SIGKILL');
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing and doubles nothing when the server is killed between send and accept', async function () {
    this.timeout(240000);
    let base = (await start()).base;
    const token = async (username: string) => (await call(base, 'POST', '/auth/login', undefined, { username, password: DEMO_PASSWORD })).body.accessToken as string;
    let clerk = await token('clerk');
    const draft = await call(base, 'POST', '/documents', clerk, outgoingLetter({ subject: 'ส่งก่อนเครื่องดับ' }));
    const books = (await call(base, 'GET', '/registers', clerk)).body.items as Array<{ id: number; kind: string; unitId: number | null }>;
    const outgoing = books.find((b) => b.kind === 'outgoing' && b.unitId === null)!;
    expect((await call(base, 'POST', `/registers/${outgoing.id}/entries`, clerk, { documentId: draft.body.id })).status).to.equal(201);
    const cm = (await call(base, 'GET', '/organisations', clerk)).body.items.find((o: { agencyCode: string }) => o.agencyCode === 'ชม 0033');
    const sent = await call(base, 'POST', `/documents/${draft.body.id}/send`, clerk, { recipients: [{ organisationId: cm.id }] });
    expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    const deliveryId = sent.body.items[0].id;

    await stopServer(server!.child, 'SIGKILL');
    base = (await start()).base;
    clerk = await token('clerk');
    const cmClerk = await token('cm.clerk');
    const waiting = (await call(base, 'GET', '/deliveries/arrivals', cmClerk)).body.items as Array<{ id: number }>;
    expect(waiting.filter((d) => d.id === deliveryId), 'in the tray once').to.have.length(1);
    const accepted = await call(base, 'POST', `/deliveries/${deliveryId}/accept`, cmClerk);
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200);
    expect((await call(base, 'POST', `/deliveries/${deliveryId}/accept`, cmClerk)).status).to.equal(409);
    const page = (await call(base, 'GET', `/documents/${draft.body.id}/deliveries`, clerk)).body.items;
    expect(page.map((d: { status: string; received: { number: number } | null }) => [d.status, d.received?.number])).to.deep.equal([['received', accepted.body.entry.number]]);
    const entries = (await call(base, 'GET', `/registers/${accepted.body.entry.registerId}/entries`, cmClerk)).body.items as Array<{ documentId: number }>;
    expect(entries.filter((e) => e.documentId === accepted.body.receivedDocumentId), 'one register line').to.have.length(1);
  });
});
