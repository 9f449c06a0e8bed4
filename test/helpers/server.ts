// Real server processes for tests that need one, stopped with SIGTERM or killed with SIGKILL. `npm test`
// runs the compiled server, as the README's `npm start` does (SARABAN_SERVER=dist, built by
// test/run-all.js when stale); a mocha run by hand starts it through tsx, without a build.
import { spawn, ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  child: ChildProcess;
  output: () => string;
  base: string;
}

/** `env` replaces DATABASE_URL handling: pass DATABASE_URL explicitly, or '' for the embedded default. */
export function startServer(env: Record<string, string>, port: number): Promise<RunningServer> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, JWT_SECRET: '', NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ...env };
  if (childEnv.DATABASE_URL === '') delete childEnv.DATABASE_URL;
  // SARABAN_SERVER=dist runs the compiled server (as `npm start` does), e.g. for benchmarks.
  const args = process.env.SARABAN_SERVER === 'dist' ? ['dist/server/main.js'] : ['--require', 'tsx/cjs', 'server/main.ts'];
  // SARABAN_NODE_ARGS adds node flags, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof' to profile a benchmark's server.
  if (process.env.SARABAN_NODE_ARGS) args.unshift(...process.env.SARABAN_NODE_ARGS.split(' ').filter(Boolean));
  const child = spawn(process.execPath, args, {
    cwd: path.resolve(__dirname, '..', '..'),
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    // Generous: on a loaded machine seeding the demo data alone has taken over 90 s.
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 240000);
    let runningSince = 0;
    const check = setInterval(() => {
      // The banner is one write, but a pipe may deliver it in chunks: wait for its last line
      // (or a moment, when no demo logins are printed).
      if (out.includes('is running at')) runningSince ||= Date.now();
      if (runningSince && (out.includes('Try: curl') || Date.now() - runningSince > 3000)) {
        clearInterval(check);
        clearTimeout(timer);
        resolve({ child, output: () => out, base: `http://127.0.0.1:${port}/api` });
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
}

export async function stopServer(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill(signal);
  });
}

export async function call(base: string, method: string, route: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(`${base}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
