// Real server processes for the many-process tests (and bench/realtime-latency.ts): server.ts's
// startServer on a free port, as a handle that knows its URL and stops itself.
import type { ChildProcess } from 'node:child_process';
import { freePort, startServer, stopServer } from './server';

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** `env` as for startServer: JWT_SECRET is blank (generated and kept in the database) unless given. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const { child, output } = await startServer(env, port);
  return { child, port, url: `http://127.0.0.1:${port}`, output, stop: () => stopServer(child) };
}
