// Keys, certificates and a loopback server for the ECMS adapter tests (openssl makes the certificates).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import express from 'express';
import type { AddressInfo } from 'node:net';

export interface TestParty { ecmsOrganisationId: string; privateKeyPem: string; certificatePem: string; keyFile: string; certFile: string }

export const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecms-test-'));

export function makeParty(ecmsOrganisationId: string, kind: 'rsa' | 'ec' = 'rsa'): TestParty {
  const keyFile = path.join(tmpDir, `${ecmsOrganisationId}-${kind}.key`);
  const certFile = path.join(tmpDir, `${ecmsOrganisationId}-${kind}.crt`);
  const newkey = kind === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  execFileSync('openssl', ['req', '-x509', ...newkey, '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=ECMS test ${ecmsOrganisationId}`], { stdio: 'ignore' });
  return { ecmsOrganisationId, privateKeyPem: fs.readFileSync(keyFile, 'utf8'), certificatePem: fs.readFileSync(certFile, 'utf8'), keyFile, certFile };
}

export async function listen(handler: http.RequestListener | express.Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler as http.RequestListener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A small PDF-looking file (content does not matter to the exchange, its bytes do). */
export const samplePdf = Buffer.from('%PDF-1.4\n% ECMS test letter หนังสือทดสอบ\n%%EOF\n', 'utf8');
