// No request may stop the server (issue 12): the real server process, as `npm start` runs it, under
// its supervising primary. A body cut short inside a file used to end the process; an error that
// escapes a request is logged and the same process serves on; a process that dies anyway is
// started again by the primary.
import { expect } from 'chai';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createThrowawayDatabase, ThrowawayDatabase } from '../helpers/databases';
import { testDialect } from '../helpers/env';
import { call, freePort, startServer, stopServer, RunningServer } from '../helpers/server';

/** The server processes the primary started (its children). */
function childrenOf(pid: number): number[] {
  const text = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text ? text.split(/\s+/).map(Number) : [];
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const answers = async (base: string) => (await fetch(`${base}/health`).catch(() => null))?.status === 200;

/** A raw HTTP request on its own socket: the head, then `body`; `hangUp` closes before the answer. */
function raw(port: number, head: string, body: string, hangUp = false): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(`${head}\r\n\r\n${body}`);
      if (hangUp) setTimeout(() => socket.destroy(), 200);
    });
    let text = '';
    socket.on('data', (d) => (text += d));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(text.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0);
      const json = text.slice(text.indexOf('\r\n\r\n') + 4);
      resolve({ status, body: json.startsWith('{') ? JSON.parse(json) : null });
    });
  });
}

describe('a request that breaks things does not stop the server', () => {
  let database: ThrowawayDatabase;
  let dataDir: string;
  let server: RunningServer;
  let port: number;
  let worker: number;

  before(async function () {
    this.timeout(180000);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'saraban-escape-'));
    database = await createThrowawayDatabase(testDialect(), 'escape');
    port = await freePort();
    const fixture = path.resolve(__dirname, '../fixtures/escaping-errors.js');
    server = await startServer({ DATABASE_URL: database.url, DATA_DIR: dataDir, NODE_OPTIONS: `--require ${fixture}` }, port);
    [worker] = childrenOf(server.child.pid!);
  });
  after(async function () {
    this.timeout(60000);
    if (server) await stopServer(server.child, 'SIGKILL');
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves from one server process under a supervising primary', () => {
    expect(childrenOf(server.child.pid!)).to.deep.equal([worker]);
  });

  it('answers a multipart body that ends inside the file with 400, and the same process serves on', async function () {
    this.timeout(60000);
    const clerk = (await call(server.base, 'POST', '/auth/login', undefined, { username: 'clerk', password: 'saraban-demo' })).body.accessToken as string;
    const draft = await call(server.base, 'POST', '/documents', clerk, {
      direction: 'outgoing', type: 'external', subject: 'ขอส่งรายงาน', addressee: 'ผู้ว่าราชการจังหวัด', salutation: 'เรียน', body: 'ตามที่', closing: 'ขอแสดงความนับถือ',
      signerName: 'นายวิชัย ทองดี', signerPosition: 'ผู้อำนวยการกองกลาง', contact: 'กองกลาง',
    });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
    const cut = '--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4';
    const head = (length: number) => [
      `POST /api/documents/${draft.body.id}/attachments HTTP/1.1`, 'Host: 127.0.0.1', `Authorization: Bearer ${clerk}`,
      'Content-Type: multipart/form-data; boundary=b', `Content-Length: ${length}`, 'Connection: close',
    ].join('\r\n');

    const res = await raw(port, head(Buffer.byteLength(cut)), cut);
    expect(res.status).to.equal(400);
    expect(res.body.error).to.include({ code: 'bad_request' });
    expect(res.body.error.message).to.contain('Unexpected end of form');
    // A client that goes away in the middle of its file: nothing is answered, nothing is kept.
    await raw(port, head(100000), cut, true);
    await until('the temporary files removed', () => fs.readdirSync(path.join(dataDir, 'tmp')).length === 0);

    expect(await answers(server.base)).to.equal(true);
    expect(childrenOf(server.child.pid!)).to.deep.equal([worker]);
    expect(server.output()).to.not.match(/uncaught error|ended \(|exited/);
  });

  it('logs an error that escapes a request, and the same process serves on', async function () {
    this.timeout(60000);
    for (const escape of ['throw', 'reject']) {
      expect((await fetch(`${server.base}/health`, { headers: { 'x-test-escape': escape } })).status).to.equal(200);
    }
    await until('both errors logged', () => /unhandled promise rejection/.test(server.output()));
    expect(server.output()).to.match(/\[saraban\] uncaught error \(the server goes on serving; this is a bug, please report it\): Error: escaped from a request \(test\)/);
    expect(server.output()).to.match(/\[saraban\] unhandled promise rejection \(the server goes on serving.*\): Error: rejected outside a request \(test\)/);
    expect(await answers(server.base)).to.equal(true);
    expect(childrenOf(server.child.pid!)).to.deep.equal([worker]);
  });

  it('starts the server process again when it dies anyway, and pauses before the next start when it keeps dying', async function () {
    this.timeout(180000);
    const primary = server.child.pid!;
    process.kill(worker, 'SIGKILL');
    await until('a new server process', () => childrenOf(primary).length === 1 && !childrenOf(primary).includes(worker));
    await until('the new process answering', () => answers(server.base));
    expect(server.output()).to.match(new RegExp(`\\[saraban\\] server process ${worker} ended \\(SIGKILL\\); starting another\\n`));
    const [second] = childrenOf(primary);
    await until('the primary saying it serves again', () => server.output().includes(`server process ${second} is serving again`));

    process.kill(second, 'SIGKILL');
    await until('a third server process', () => childrenOf(primary).length === 1 && !childrenOf(primary).includes(second));
    await until('the third process answering', () => answers(server.base));
    expect(server.output()).to.match(new RegExp(`server process ${second} ended \\(SIGKILL\\); starting another in 1 s \\(2 ended within 5 minutes\\)`));
    worker = childrenOf(primary)[0];
  });

  it('stops the primary and its server process on SIGTERM', async function () {
    this.timeout(60000);
    await stopServer(server.child);
    expect(server.child.exitCode).to.equal(0);
    await until('the server process gone', () => !fs.existsSync(`/proc/${worker}`));
    expect(server.output()).to.match(/\[saraban\] SIGTERM: closing\n/);
  });
});
