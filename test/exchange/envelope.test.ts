// Trusting a signer through the directory's certificate: the very certificate, or a chain (x5c) whose
// every link is issued and signed by the next up to the CA certificate the directory holds.
import 'reflect-metadata';
import crypto from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { expect } from 'chai';
import { Refusal, trustedSigner } from '../../server/modules/exchange/envelope';

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const keysOf = async () => (await crypto.webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as crypto.webcrypto.CryptoKeyPair;
const day = 86_400_000;

async function ca(name: string) {
  const keys = await keysOf();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name, notBefore: new Date(Date.now() - day), notAfter: new Date(Date.now() + 365 * day), keys, signingAlgorithm: alg,
    extensions: [new x509.BasicConstraintsExtension(true, 1, true)],
  });
  return { keys, cert };
}

async function issued(issuer: { keys: crypto.webcrypto.CryptoKeyPair; cert: x509.X509Certificate }, name: string, notAfter = new Date(Date.now() + 30 * day)) {
  const keys = await keysOf();
  return x509.X509CertificateGenerator.create({
    serialNumber: '02', subject: name, issuer: issuer.cert.subject, notBefore: new Date(Date.now() - day), notAfter, signingKey: issuer.keys.privateKey, publicKey: keys.publicKey, signingAlgorithm: alg,
  });
}

const x5c = (...certs: x509.X509Certificate[]) => ({ x5c: certs.map((c) => Buffer.from(c.rawData).toString('base64')) });

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Refusal) return err.reason;
    throw err;
  }
  return 'trusted';
}

describe('exchange signer trust', () => {
  it('trusts a certificate the directory pins, and one issued under the CA the directory holds, directly or through an intermediate', async () => {
    const root = await ca('CN=Government Test CA');
    const leaf = await issued(root, 'CN=Agency A exchange');
    expect(await refusal(trustedSigner(x5c(leaf), leaf.toString('pem')))).to.equal('trusted');
    expect(await refusal(trustedSigner(x5c(leaf), root.cert.toString('pem')))).to.equal('trusted');
    const midKeys = await keysOf();
    const mid = await x509.X509CertificateGenerator.create({
      serialNumber: '03', subject: 'CN=Intermediate', issuer: root.cert.subject, notBefore: new Date(Date.now() - day), notAfter: new Date(Date.now() + 100 * day),
      signingKey: root.keys.privateKey, publicKey: midKeys.publicKey, signingAlgorithm: alg, extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
    });
    const deep = await issued({ keys: midKeys, cert: mid }, 'CN=Agency B exchange');
    expect(await refusal(trustedSigner(x5c(deep, mid), root.cert.toString('pem')))).to.equal('trusted');
    expect(await refusal(trustedSigner(x5c(deep), root.cert.toString('pem'))), 'without the intermediate').to.equal('unknown_certificate');
  });

  it('refuses a certificate of another CA, a forged issuer name, an expired one and an empty chain', async () => {
    const root = await ca('CN=Government Test CA');
    const other = await ca('CN=Government Test CA'); // same name, other key: only the signature tells
    const stranger = await issued(other, 'CN=Impostor');
    expect(await refusal(trustedSigner(x5c(stranger), root.cert.toString('pem')))).to.equal('unknown_certificate');
    const expired = await issued(root, 'CN=Old', new Date(Date.now() - 1000));
    expect(await refusal(trustedSigner(x5c(expired), root.cert.toString('pem')))).to.equal('certificate_expired');
    expect(await refusal(trustedSigner({ x5c: [] }, root.cert.toString('pem')))).to.equal('bad_certificate');
    expect(await refusal(trustedSigner({ x5c: ['bm90IGEgY2VydA=='] }, root.cert.toString('pem')))).to.equal('bad_certificate');
  });
});
