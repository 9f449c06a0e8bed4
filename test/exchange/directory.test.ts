// The directory of agencies elsewhere and the deployment's exchange identity, through the API:
// who manages them, what each transport needs, signed introductions, and the private key that is
// stored only encrypted and never shown.
import 'reflect-metadata';
import crypto from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { expect } from 'chai';
import { api, login, orgByCode, Session } from '../helpers/factories';
import { ExchangeIdentity } from '../../server/db/models';
import { getExchangeIdentity } from '../../server/modules/exchange/identity';

async function selfSigned(name: string) {
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = (await crypto.webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as crypto.webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '0a', name, notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000), keys, signingAlgorithm: alg });
  const pkcs8 = Buffer.from(await crypto.webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { certificatePem: cert.toString('pem'), privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n` };
}

describe('exchange directory and identity', () => {
  let admin: Session;
  let clerk: Session;
  let cmAdmin: Session;
  let certificatePem: string;
  before(async () => {
    [admin, clerk, cmAdmin] = await Promise.all([login('admin'), login('clerk'), login('cm.admin')]);
    certificatePem = (await api().get('/api/exchange/identity').set(admin.auth)).body.certificatePem;
  });

  it('lets the top administrator add agencies for each transport, and says what a transport lacks', async () => {
    const saraban = await api().post('/api/exchange/peers').set(admin.auth).send({ nameTh: 'กรมตัวอย่าง', agencyCode: 'ตย 0101', transport: 'saraban', endpointUrl: 'https://saraban.example.go.th/api/exchange/inbox' });
    expect(saraban.status).to.equal(422);
    expect(saraban.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['certificatePem']);
    const ok = await api().post('/api/exchange/peers').set(admin.auth).send({ nameTh: 'กรมตัวอย่าง', agencyCode: 'ตย 0101', transport: 'saraban', endpointUrl: 'https://saraban.example.go.th/api/exchange/inbox', certificatePem });
    expect(ok.status, JSON.stringify(ok.body)).to.equal(201);
    expect(ok.body.certificateSha256).to.match(/^[0-9a-f]{64}$/);
    const again = await api().post('/api/exchange/peers').set(admin.auth).send({ nameTh: 'ซ้ำ', agencyCode: 'ตย 0101', transport: 'saraban', endpointUrl: 'https://x.example/api/exchange/inbox', certificatePem });
    expect(again.status).to.equal(409);
    const ecms = await api().post('/api/exchange/peers').set(admin.auth).send({ nameTh: 'กรมบน ECMS', agencyCode: 'ตย 0102', transport: 'ecms' });
    expect(ecms.status).to.equal(422);
    const ecmsFields = async (entry: Record<string, unknown>) => {
      const r = await api().post('/api/exchange/peers').set(admin.auth).send({ nameTh: 'กรมบน ECMS', agencyCode: 'ตย 0102', transport: 'ecms', ...entry });
      expect(r.status, JSON.stringify(r.body)).to.equal(422);
      return r.body.error.details.map((d: { field: string }) => d.field);
    };
    expect(await ecmsFields({ ecmsOrganisationId: '11008', endpointUrl: 'https://ecms.example.go.th/ws' }), 'an ecms agency without a certificate').to.deep.equal(['certificatePem']);
    expect(await ecmsFields({ ecmsOrganisationId: '11008', certificatePem }), 'one without an endpoint').to.deep.equal(['endpointUrl']);
    expect(await ecmsFields({ ecmsOrganisationId: 'MOPH-1', endpointUrl: 'https://ecms.example.go.th/ws', certificatePem }), 'ECMS ids are numeric').to.deep.equal(['ecmsOrganisationId']);
    expect(await ecmsFields({ ecmsOrganisationId: '11008', endpointUrl: 'https://ecms.example.go.th/ws', certificatePem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' }), 'a certificate that does not parse').to.deep.equal(['certificatePem']);
    const ecmsOk = await api().post('/api/exchange/peers').set(admin.auth).send({ nameTh: 'กรมบน ECMS', agencyCode: 'ตย 0102', transport: 'ecms', ecmsOrganisationId: '11008', endpointUrl: 'https://ecms.example.go.th/ws', certificatePem });
    expect(ecmsOk.status, JSON.stringify(ecmsOk.body)).to.equal(201);
    expect(ecmsOk.body.ecmsMode).to.equal('direct');
    const noCert = await api().patch(`/api/exchange/peers/${ecmsOk.body.id}`).set(admin.auth).send({ certificatePem: null });
    expect(noCert.status, 'nor changed to lack one').to.equal(422);
    expect(noCert.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['certificatePem']);
    const pickup = await api().post('/api/exchange/peers').set(admin.auth).send({ nameTh: 'กรมที่มารับเอง', agencyCode: 'ตย 0104', transport: 'ecms', ecmsOrganisationId: '11009', certificatePem, ecmsMode: 'pickup' });
    expect(pickup.status, 'a peer that polls us needs no endpoint').to.equal(201);
    expect((await api().post('/api/exchange/peers').set(admin.auth).send({ nameTh: 'x', agencyCode: 'ตย 0105', transport: 'email', email: 'a@example.go.th', ecmsMode: 'poll' })).status).to.equal(422);
    const garbage = await api().post('/api/exchange/peers').set(admin.auth).send({ nameTh: 'x', agencyCode: 'ตย 0103', transport: 'saraban', endpointUrl: 'https://x.example/', certificatePem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' });
    expect(garbage.status).to.equal(422);
    const patched = await api().patch(`/api/exchange/peers/${ok.body.id}`).set(admin.auth).send({ active: false });
    expect(patched.body.active).to.equal(false);
  });

  it('lets clerks read the directory to address letters, and nobody else but the top administrators change it', async () => {
    expect((await api().get('/api/exchange/peers').set(clerk.auth)).status).to.equal(200);
    expect((await api().post('/api/exchange/peers').set(clerk.auth).send({ nameTh: 'x', agencyCode: 'x', transport: 'email', email: 'a@example.go.th' })).status).to.equal(403);
    expect((await api().post('/api/exchange/peers').set(cmAdmin.auth).send({ nameTh: 'x', agencyCode: 'x', transport: 'email', email: 'a@example.go.th' })).status).to.equal(403);
    expect((await api().get('/api/exchange/refusals').set(cmAdmin.auth)).status).to.equal(403);
    expect((await api().get('/api/exchange/outbox').set(clerk.auth)).status).to.equal(403);
  });

  it('imports a signed introduction and refuses one altered after signing', async () => {
    const org = await orgByCode('ชม 0033');
    const intro = await api().get(`/api/exchange/introduction?organisationId=${org.id}`).set(admin.auth);
    expect(intro.status).to.equal(200);
    const jws = JSON.parse(intro.body.file);
    const payload = JSON.parse(Buffer.from(jws.payload, 'base64url').toString());
    payload.endpointUrl = 'https://attacker.example/api/exchange/inbox';
    const altered = JSON.stringify({ ...jws, payload: Buffer.from(JSON.stringify(payload)).toString('base64url') });
    const refused = await api().post('/api/exchange/peers/import').set(admin.auth).send({ file: altered });
    expect(refused.status).to.equal(422);
    const taken = await api().post('/api/exchange/peers/import').set(admin.auth).send({ file: intro.body.file });
    expect(taken.status, JSON.stringify(taken.body)).to.equal(200);
    expect(taken.body.peer).to.include({ agencyCode: 'ชม 0033', transport: 'saraban', certificateSha256: intro.body.certificateSha256 });
    expect(taken.body.peer.endpointUrl).to.match(/\/api\/exchange\/inbox$/);
    expect((await api().post('/api/exchange/peers/import').set(admin.auth).send({ file: intro.body.file })).body.created).to.equal(false);
  });

  it('keeps the private key only encrypted and never shows it; a CA-issued key replaces it when it matches its certificate', async () => {
    const row = (await ExchangeIdentity.findOne({ where: { active: true } }))!;
    const key = (await getExchangeIdentity()).privateKey.export({ format: 'der', type: 'pkcs8' });
    expect(Buffer.from(row.encryptedKey).includes(key.subarray(-32)), 'no key bytes in the row').to.equal(false);
    expect(row.encryptedKey).to.not.include(key.toString('base64').slice(-40));
    const shown = await api().get('/api/exchange/identity').set(admin.auth);
    expect(JSON.stringify(shown.body)).to.not.match(/PRIVATE|encryptedKey/);

    const issued = await selfSigned('CN=Saraban exchange, O=Test CA');
    const other = await selfSigned('CN=Someone else');
    const mismatch = await api().put('/api/exchange/identity').set(admin.auth).send({ certificatePem: issued.certificatePem, privateKeyPem: other.privateKeyPem });
    expect(mismatch.status).to.equal(422);
    const replaced = await api().put('/api/exchange/identity').set(admin.auth).send(issued);
    expect(replaced.status, JSON.stringify(replaced.body)).to.equal(200);
    expect(replaced.body).to.include({ source: 'imported' });
    expect(JSON.stringify(replaced.body)).to.not.match(/PRIVATE/);
    const now = await getExchangeIdentity();
    expect(now.certificateSha256).to.equal(replaced.body.certificateSha256);
    expect(now.alg).to.equal('RS256');
    expect((await api().put('/api/exchange/identity').set(cmAdmin.auth).send(issued)).status).to.equal(403);
  });
});
