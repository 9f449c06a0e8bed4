// Shortcuts through the real server's REST API for browser tests that set the scene around what
// the browser does (sign-ins, the routing steps before the one under test).
import { expect } from 'chai';
import { PASSWORD } from './harness';

export function apiOf(baseUrl: string) {
  async function call(token: string | null, method: string, urlPath: string, body?: unknown) {
    const res = await fetch(`${baseUrl}/api${urlPath}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    expect(res.status, `${method} ${urlPath}: ${JSON.stringify(json)}`).to.be.lessThan(300);
    return json as never;
  }
  const tokenOf = async (username: string) => ((await call(null, 'POST', '/auth/login', { username, password: PASSWORD })) as { accessToken: string }).accessToken;
  type Task = { id: number; instanceId: number; elementId: string };
  /** The open task at one element of one process instance, from the user's inbox. */
  const taskOf = async (token: string, instanceId: number, elementId: string) => {
    const { items } = (await call(token, 'GET', '/tasks?limit=200')) as { items: Task[] };
    const task = items.find((t) => t.instanceId === instanceId && t.elementId === elementId);
    expect(task, `${elementId} of instance ${instanceId}`).to.not.equal(undefined);
    return task!;
  };
  return { call, tokenOf, taskOf };
}
