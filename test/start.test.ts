// The README's first command, as a newcomer runs it: the real server process on an empty database.
import { expect } from 'chai';
import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createThrowawayDatabase, ThrowawayDatabase } from './helpers/databases';
import { testEnv } from './helpers/env';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'server/main.ts'], {
    cwd: path.resolve(__dirname, '..'),
    env: { ...process.env, ...env, JWT_SECRET: '', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90000);
    let runningSince = 0;
    const check = setInterval(() => {
      // The banner is followed by the demo logins; the tests read those too, so wait for the
      // banner's last line (or a moment, when no demo is printed): the output arrives in chunks.
      if (out.includes('is running at')) runningSince ||= Date.now();
      if (runningSince && (out.includes('Try: curl') || Date.now() - runningSince > 3000)) {
        clearInterval(check);
        clearTimeout(timer);
        resolve({ child, output: () => out });
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

describe('starting the server on an empty database', () => {
  let database: ThrowawayDatabase;
  let dataDir: string;
  const children: ChildProcess[] = [];

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'saraban-start-'));
    database = await createThrowawayDatabase(testEnv().dialect, 'start');
  });
  after(async () => {
    for (const c of children) await stop(c);
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrates, seeds the demo organisation, prints URL and logins, serves sign-in, and keeps its secret across a restart', async function () {
    this.timeout(180000);
    const port = await freePort();
    // The embedded default has no DATABASE_URL at all; the MariaDB pass gives one.
    const env: Record<string, string> = { PORT: String(port), DATA_DIR: dataDir, HOST: '127.0.0.1' };
    if (testEnv().dialect === 'mariadb') env.DATABASE_URL = database.url;
    else delete process.env.DATABASE_URL;
    const savedUrl = testEnv().databaseUrl;
    let first;
    try {
      first = await startServer(env);
    } finally {
      process.env.DATABASE_URL = savedUrl;
    }
    children.push(first.child);
    expect(first.output()).to.include(`http://localhost:${port}`);
    expect(first.output()).to.match(/clerk\s+เจ้าหน้าที่สารบรรณ/);
    expect(first.output()).to.include('saraban-demo');
    if (testEnv().dialect === 'sqlite') expect(fs.existsSync(path.join(dataDir, 'saraban.sqlite'))).to.equal(true);

    const base = `http://127.0.0.1:${port}/api`;
    const health = (await (await fetch(`${base}/health`)).json()) as { database: { dialect: string } };
    expect(health.database.dialect).to.equal(testEnv().dialect === 'mariadb' ? 'mysql' : 'sqlite');
    const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'clerk', password: 'saraban-demo' }) });
    expect(login.status).to.equal(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const me = (await (await fetch(`${base}/me`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as { organisation: { agencyCode: string } };
    expect(me.organisation.agencyCode).to.equal('สธ 02');

    await stop(first.child);
    if (testEnv().dialect === 'sqlite') delete process.env.DATABASE_URL;
    let second;
    try {
      second = await startServer(env);
    } finally {
      process.env.DATABASE_URL = savedUrl;
    }
    children.push(second.child);
    expect(second.output()).to.not.include('seeded:');
    expect(second.output()).to.not.include('applied');
    // The generated secret was persisted: a token from before the restart still works.
    const again = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(again.status).to.equal(200);
    const orgs = (await (await fetch(`${base}/organisations`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as { items: unknown[] };
    expect(orgs.items).to.have.length(4);
  });
});
