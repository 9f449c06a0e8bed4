// Test-side tools for signatures: a local RFC 3161 TSA (`openssl ts -reply` behind a loopback HTTP
// server), Thai PDFs and appearance blocks printed by Debian's Chromium, and the independent
// verifiers (poppler's pdfsig trusting an NSS database made by certutil; `openssl ts -verify`).
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, Browser } from 'playwright-core';

const run = promisify(execFile);

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `saraban-${prefix}-`));
}

const TSA_CONF = (dir: string) => `
[ tsa ]
default_tsa = tsa1
[ tsa1 ]
dir = ${dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.crt
certs = $dir/tsa-chain.crt
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;

export interface LocalTsa { url: string; dir: string; rootPem: string; close(): Promise<void> }

/** A TSA whose certificate (critical extendedKeyUsage=timeStamping) chains to its own root. */
export async function startTsa(): Promise<LocalTsa> {
  const dir = tempDir('tsa');
  const o = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  o(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root.key', '-out', 'root.crt', '-subj', '/CN=Saraban Test TSA Root', '-days', '3650',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  o(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tsa.key', '-out', 'tsa.csr', '-subj', '/CN=Saraban Test TSA']);
  fs.writeFileSync(path.join(dir, 'ext.cnf'), 'extendedKeyUsage=critical,timeStamping\nkeyUsage=critical,digitalSignature\nbasicConstraints=CA:FALSE\n');
  o(['x509', '-req', '-in', 'tsa.csr', '-CA', 'root.crt', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'tsa.crt', '-days', '3650', '-extfile', 'ext.cnf']);
  fs.copyFileSync(path.join(dir, 'root.crt'), path.join(dir, 'tsa-chain.crt'));
  fs.writeFileSync(path.join(dir, 'serial'), '01\n');
  fs.writeFileSync(path.join(dir, 'tsa.cnf'), TSA_CONF(dir));
  let queue: Promise<unknown> = Promise.resolve();
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      // One at a time: openssl ts updates the serial file.
      queue = queue.then(async () => {
        const id = ++n;
        const q = path.join(dir, `q${id}.tsq`);
        const r = path.join(dir, `r${id}.tsr`);
        fs.writeFileSync(q, Buffer.concat(chunks));
        try {
          await run('openssl', ['ts', '-reply', '-config', path.join(dir, 'tsa.cnf'), '-queryfile', q, '-out', r]);
          res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(fs.readFileSync(r));
        } catch (err) {
          res.writeHead(500).end(String(err));
        } finally {
          fs.rmSync(q, { force: true });
          fs.rmSync(r, { force: true });
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    dir,
    rootPem: fs.readFileSync(path.join(dir, 'root.crt'), 'utf8'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let browser: Promise<Browser> | undefined;
function getBrowser(): Promise<Browser> {
  browser ??= chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  return browser;
}

export async function closeBrowser(): Promise<void> {
  if (browser) await (await browser).close();
  browser = undefined;
}

const FONT = `@font-face { font-family: L; src: url(file:///usr/share/fonts/truetype/tlwg/Laksaman.ttf); font-weight: normal; }
@font-face { font-family: L; src: url(file:///usr/share/fonts/truetype/tlwg/Laksaman-Bold.ttf); font-weight: bold; }
body { font-family: L; line-height: 1.5; margin: 0; }`;

/** HTML → PDF with Chromium (the test stand-in for the letters module's renderHtmlToPdf). */
export async function renderHtmlToPdf(html: string): Promise<Buffer> {
  const page = await (await getBrowser()).newPage();
  try {
    await page.setContent(html.replace('<head>', `<head><style>${FONT}</style>`), { waitUntil: 'load' });
    return Buffer.from(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  } finally {
    await page.close();
  }
}

const thaiParagraph = 'ด้วยสำนักงานปลัดกระทรวงมีความประสงค์จะขอความร่วมมือจากหน่วยงานของท่านในการจัดส่งข้อมูลผู้ใหญ่บ้านและกำนัน เพื่อใช้ประกอบการพิจารณาจัดสรรงบประมาณประจำปี น้ำ ปั้น ฟ้า ปี่ ญู ฐู ก็ ';

/** A two-page Thai letter printed by Chromium (PDF 1.4, classic cross-reference table). */
export async function thaiLetterPdf(subject = 'ขอความร่วมมือจัดส่งข้อมูล'): Promise<Buffer> {
  const body = Array.from({ length: 14 }, () => `<p>${thaiParagraph.repeat(3)}</p>`).join('');
  return renderHtmlToPdf(`<html><head><style>@page { size: A4; margin: 2.5cm 2cm 2cm 3cm } body { font-size: 11pt }</style></head>
<body><p style="text-align:center;font-weight:bold">บันทึกข้อความ</p><p>เรื่อง ${subject}</p>${body}</body></html>`);
}

export interface PdfsigSignature { valid: boolean; trusted: boolean; revoked: boolean; wholeFile: boolean; raw: string }

/** pdfsig trusting the given CA certificates (and CRLs, through crlutil) in a fresh NSS database. */
export async function pdfsig(pdf: Buffer, caPems: string[], crlsDer: Buffer[] = []): Promise<{ signatures: PdfsigSignature[]; output: string }> {
  const dir = tempDir('nss');
  try {
    await run('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
    for (const [i, pem] of caPems.entries()) {
      fs.writeFileSync(path.join(dir, `ca${i}.crt`), pem);
      await run('certutil', ['-A', '-n', `CA${i}`, '-t', 'CT,C,C', '-i', path.join(dir, `ca${i}.crt`), '-d', `sql:${dir}`]);
    }
    for (const [i, der] of crlsDer.entries()) {
      fs.writeFileSync(path.join(dir, `crl${i}.der`), der);
      await run('crlutil', ['-I', '-i', path.join(dir, `crl${i}.der`), '-d', `sql:${dir}`]);
    }
    const file = path.join(dir, 'file.pdf');
    fs.writeFileSync(file, pdf);
    let output: string;
    try {
      output = (await run('pdfsig', ['-nssdir', `sql:${dir}`, file])).stdout;
    } catch (err) {
      output = `${(err as { stdout?: string }).stdout ?? ''}${(err as { stderr?: string }).stderr ?? ''}`;
    }
    const signatures = output.split(/^Signature #\d+:/m).slice(1).map((raw) => ({
      raw,
      valid: /Signature Validation: Signature is Valid\./.test(raw),
      trusted: /Certificate Validation: Certificate is Trusted\./.test(raw),
      revoked: /Certificate Validation: Certificate has been Revoked\./.test(raw),
      wholeFile: /Signature covers the entire document|Total document signed/.test(raw),
    }));
    return { signatures, output };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `openssl ts -verify` of a time-stamp token over the data it stamped (the signature value). */
export async function opensslVerifyToken(token: Buffer, stampedData: Buffer, tsa: LocalTsa): Promise<string> {
  const dir = tempDir('tsv');
  try {
    fs.writeFileSync(path.join(dir, 'token.der'), token);
    fs.writeFileSync(path.join(dir, 'data.bin'), stampedData);
    const { stdout } = await run('openssl', ['ts', '-verify', '-token_in', '-in', path.join(dir, 'token.der'), '-data', path.join(dir, 'data.bin'),
      '-CAfile', path.join(tsa.dir, 'root.crt'), '-untrusted', path.join(tsa.dir, 'tsa.crt')]);
    return stdout.trim();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
