// Shared pieces of the delivery tests: the demo's central office sends, its provincial offices
// (Chiang Mai, Khon Kaen) and a department made here receive.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { api, buildOrganisation, buildUser, login, orgByCode, Session } from '../helpers/factories';
import { testEnv } from '../helpers/env';
import { Organisation } from '../../server/db/models';
import { as, outgoingLetter, registerOf } from '../registry/helpers';

export { as, outgoingLetter, registerOf };

/** A minimal real PDF: the upload decides its type by its content. */
export const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

export interface Cast {
  central: Organisation; cm: Organisation; kk: Organisation; third: Organisation;
  clerk: Session; cmClerk: Session; kkClerk: Session; thirdClerk: Session;
}

let cast: Promise<Cast> | undefined;
/** The organisations and clerks, made once per run. */
export function theCast(): Promise<Cast> {
  return (cast ??= (async () => {
    const central = await orgByCode('สธ 02');
    const third = await buildOrganisation({ parentId: central.id });
    const thirdUser = await buildUser(third.id, { roles: ['registry_clerk', 'staff'] });
    return {
      central, cm: await orgByCode('ชม 0033'), kk: await orgByCode('ขก 0033'), third,
      clerk: await as('clerk'), cmClerk: await as('cm.clerk'), kkClerk: await as('kk.clerk'), thirdClerk: await login(thirdUser.username),
    };
  })());
}

/** A clerk-like session in an organisation, made on the spot. */
export async function sessionIn(organisationId: number, roles: Array<'registry_clerk' | 'secrets_custodian' | 'staff'>): Promise<Session> {
  return login((await buildUser(organisationId, { roles })).username);
}

/** Files go to a throwaway folder while the calling suite runs; the setting is put back after it
 * (other parts, such as the destruction process, keep the folder they were started with). */
export function useTempFiles(): void {
  let saved: string;
  let dir: string;
  before(() => {
    saved = testEnv().ctx.config.dataDir;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'saraban-deliveries-'));
    testEnv().ctx.config.dataDir = dir;
  });
  after(() => {
    testEnv().ctx.config.dataDir = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });
}

/** Drafts an outgoing letter (with a main file), numbers it in the given book, and returns its id. */
export async function numberedLetter(s: Session, extra: Record<string, unknown> = {}, book = 'outgoing', withFile = true): Promise<number> {
  const draft = await api().post('/api/documents').set(s.auth).send(outgoingLetter(extra));
  expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
  if (withFile) {
    const up = await api().post(`/api/documents/${draft.body.id}/attachments`).set(s.auth).field('role', 'main').attach('file', pdf, 'หนังสือส่ง.pdf');
    expect(up.status, JSON.stringify(up.body)).to.equal(201);
  }
  const reg = await api().post(`/api/registers/${await registerOf(s, book)}/entries`).set(s.auth).send({ documentId: draft.body.id });
  expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
  return draft.body.id;
}

export const send = (s: Session, documentId: number, recipients: Array<{ organisationId: number; role?: 'to' | 'copy' }>) =>
  api().post(`/api/documents/${documentId}/send`).set(s.auth).send({ recipients });

export const tray = async (s: Session, query: Record<string, unknown> = {}) => {
  const res = await api().get('/api/deliveries/arrivals').query(query).set(s.auth);
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body.items as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

export const act = (s: Session, deliveryId: number, action: 'accept' | 'reject' | 'return' | 'withdraw' | 'resend', body?: Record<string, unknown>) => {
  const req = api().post(`/api/deliveries/${deliveryId}/${action}`).set(s.auth);
  return body ? req.send(body) : req;
};
