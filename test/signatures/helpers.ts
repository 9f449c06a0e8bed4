// Shared set-up of the signature tests: the local TSA as TSA_URL, a test Chromium as the
// appearance renderer, a master key from the environment, and signers made through the API.
import { expect } from 'chai';
import * as pkijs from 'pkijs';
import { Position, RoleKey, User } from '../../server/db/models';
import { setAppearanceRenderer } from '../../server/modules/signatures/appearance';
import { closeSignaturePool } from '../../server/modules/signatures/jobs';
import { forgetMasterKey } from '../../server/modules/signatures/keys';
import { derPrefix, OID } from '../../server/modules/signatures/cms';
import { api, buildPosition, buildUser, login, Session, unique } from '../helpers/factories';
import { closeBrowser, LocalTsa, renderHtmlToPdf, startTsa, thaiLetterPdf } from './tools';

export const PIN = '482913';

export interface Kit { tsa: LocalTsa; letter: Buffer }

/** Mocha hooks for a signature suite; the returned kit is filled in by `before`. */
export function useSigningKit(): Kit {
  const kit = {} as Kit;
  const saved = { ...process.env };
  before(async function () {
    this.timeout(60000);
    process.env.SIGNING_KEY_SECRET = 'test-master-key-for-signatures-0123456789';
    forgetMasterKey();
    kit.tsa = await startTsa();
    process.env.TSA_URL = kit.tsa.url;
    setAppearanceRenderer(renderHtmlToPdf);
    kit.letter = await thaiLetterPdf();
  });
  after(async function () {
    this.timeout(30000);
    setAppearanceRenderer(undefined);
    await kit.tsa?.close();
    await closeBrowser();
    await closeSignaturePool();
    for (const k of ['SIGNING_KEY_SECRET', 'TSA_URL', 'SIGNATURE_MAX_PDF_BYTES', 'SIGNING_PIN_MAX_ATTEMPTS']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    forgetMasterKey();
  });
  return kit;
}

export interface Signer { user: User; session: Session; credentialId: number; certificatePem: string }

/** A staff member with a Thai name and position, a PIN and a certificate from the organisation CA. */
export async function buildSigner(organisationId: number, roles: RoleKey[] = ['staff']): Promise<Signer> {
  const position = await buildPosition(organisationId);
  await Position.update({ titleTh: unique('ผู้อำนวยการกอง ') }, { where: { id: position.id } });
  const user = await buildUser(organisationId, { roles, positionId: position.id });
  await user.update({ prefixTh: 'นาย', firstNameTh: 'สมชาย', lastNameTh: unique('ใจดี') });
  const session = await login(user.username);
  expect((await api().put('/api/signatures/pin').set(session.auth).send({ pin: PIN })).status).to.equal(204);
  const issued = await api().post('/api/signatures/credentials').set(session.auth).send({ pin: PIN });
  expect(issued.status, JSON.stringify(issued.body)).to.equal(201);
  return { user, session, credentialId: issued.body.id, certificatePem: issued.body.certificatePem };
}

export async function freshGrant(session: Session): Promise<string> {
  const res = await api().post('/api/signatures/check').set(session.auth).send({ password: 'saraban-demo' });
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body.signingGrant;
}

/** Buffers a binary answer (supertest leaves application/pdf unparsed otherwise). */
const binary = (res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

export async function signThroughApi(s: Signer, pdf: Buffer, extra: { pin?: string; grant?: string | null; documentId?: number } = {}) {
  const grant = extra.grant === null ? undefined : extra.grant ?? (await freshGrant(s.session));
  let req = api().post('/api/signatures/sign').set(s.session.auth).buffer(true).parse(binary as never).field('pin', extra.pin ?? PIN);
  if (grant) req = req.field('signingGrant', grant);
  if (extra.documentId) req = req.field('documentId', String(extra.documentId));
  const res = await req.attach('file', pdf, 'letter.pdf');
  const body = res.body as Buffer;
  const json = res.headers['content-type']?.includes('json') ? JSON.parse(body.toString('utf8')) : undefined;
  return { status: res.status, pdf: body, json, code: res.headers['x-verification-code'] as string | undefined, level: res.headers['x-signature-level'] as string | undefined };
}

export async function verifyThroughApi(session: Session, file: Buffer, name = 'file.pdf') {
  return api().post('/api/signatures/verify').set(session.auth).attach('file', file, name);
}

/** The RFC 3161 token and the signature value it stamps, of the n-th signature of a PDF. */
export function timestampOf(pdf: Buffer, n: number): { token: Buffer; signatureValue: Buffer } {
  const ranges = [...pdf.toString('latin1').matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const [, b, c] = ranges[n].slice(1).map(Number);
  const der = derPrefix(Buffer.from(pdf.subarray(b + 1, c - 1).toString('latin1'), 'hex'));
  const signed = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(new Uint8Array(der).buffer).content });
  const si = signed.signerInfos[0];
  const attr = si.unsignedAttrs!.attributes.find((a) => a.type === OID.timeStampToken)!;
  return { token: Buffer.from(attr.values[0].toBER(false)), signatureValue: Buffer.from(si.signature.valueBlock.valueHexView) };
}

export { thaiLetterPdf };
