// Opens a PKCS#12 (.p12/.pfx) issued by a real CA with the `openssl pkcs12` command. Chosen over
// pkijs's PKCS#12 classes because real CAs still ship files protected with legacy algorithms
// (RC2-40, 3DES) next to modern PBES2/AES ones, and openssl reads both (with -legacy) and checks
// the MAC; pkijs would need each bag and cipher handled by hand. The password goes through a pipe
// on file descriptor 3 and the file through stdin: neither appears in the process list or on disk.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { unprocessable } from '../../lib/errors';

export interface OpenedPkcs12 { keyPkcs8: Buffer; certificatePem: string; chainPems: string[] }

function runOpenssl(p12: Buffer, password: string, legacy: boolean): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    // No -in: openssl reads stdin itself (Node's stdin pipe is a socket, which /dev/stdin cannot open).
    const args = ['pkcs12', '-passin', 'fd:3', '-nodes', ...(legacy ? ['-legacy'] : [])];
    const child = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, out, err }));
    const pass = child.stdio[3] as NodeJS.WritableStream;
    pass.on('error', () => undefined);
    pass.end(`${password}\n`);
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(p12);
  });
}

export async function openPkcs12(p12: Buffer, password: string): Promise<OpenedPkcs12> {
  let result = await runOpenssl(p12, password, false);
  if (result.code !== 0 && /unsupported|RC2|legacy/i.test(result.err)) result = await runOpenssl(p12, password, true);
  if (result.code !== 0) {
    if (/mac verify failure|invalid password/i.test(result.err)) throw unprocessable('The PKCS#12 password is wrong.');
    throw unprocessable('The file is not a readable PKCS#12 (.p12/.pfx) file.');
  }
  const keyPem = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]*?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.exec(result.out)?.[0];
  const certs = [...result.out.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map((m) => `${m[0]}\n`);
  if (!keyPem || !certs.length) throw unprocessable('The PKCS#12 file must hold a private key and its certificate.');
  const key = crypto.createPrivateKey(keyPem);
  if (key.asymmetricKeyType !== 'rsa') throw unprocessable(`Only RSA keys can sign here for now; this file holds a ${key.asymmetricKeyType} key.`);
  const spki = crypto.createPublicKey(key).export({ type: 'spki', format: 'der' });
  const own = certs.find((pem) => crypto.createPublicKey(pem).export({ type: 'spki', format: 'der' }).equals(spki));
  if (!own) throw unprocessable('No certificate in the PKCS#12 file matches its private key.');
  return { keyPkcs8: key.export({ type: 'pkcs8', format: 'der' }), certificatePem: own, chainPems: certs.filter((c) => c !== own) };
}
