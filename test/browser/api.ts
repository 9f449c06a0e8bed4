// Shortcuts through the real server's REST API for browser tests that set the scene around what
// the browser does (sign-ins, uploads, the routing steps before the one under test). The one
// place browser tests make HTTP calls of their own.
import { expect } from 'chai';
import { PASSWORD } from './harness';

export type Api = ReturnType<typeof apiOf>;

export function apiOf(baseUrl: string) {
  /** A JSON request (multipart when body is FormData), its response as it comes: for a test that checks the status itself. */
  function request(token: string | null, method: string, urlPath: string, body?: unknown): Promise<Response> {
    const form = body instanceof FormData;
    return fetch(`${baseUrl}/api${urlPath}`, {
      method,
      headers: { ...(form ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: form ? body : body === undefined ? undefined : JSON.stringify(body),
    });
  }
  /** A request that must succeed; its JSON answer typed as the caller says. */
  async function call<T = unknown>(token: string | null, method: string, urlPath: string, body?: unknown): Promise<T> {
    const res = await request(token, method, urlPath, body);
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    expect(res.status, `${method} ${urlPath}: ${JSON.stringify(json)}`).to.be.lessThan(300);
    return json as T;
  }
  const tokenOf = async (username: string, password = PASSWORD) => (await call<{ accessToken: string }>(null, 'POST', '/auth/login', { username, password })).accessToken;
  type Task = { id: number; instanceId: number; elementId: string; title: string | null };
  /** The open task at one element of one process instance, from the user's inbox. */
  const taskOf = async (token: string, instanceId: number, elementId: string) => {
    const { items } = await call<{ items: Task[] }>(token, 'GET', '/tasks?limit=200');
    const task = items.find((t) => t.instanceId === instanceId && t.elementId === elementId);
    expect(task, `${elementId} of instance ${instanceId}`).to.not.equal(undefined);
    return task!;
  };
  return { request, call, tokenOf, taskOf };
}
