// The one way the web app talks to the server: JSON over /api with the access token,
// refreshed before it expires (and once more on a 401), and the acting capacity header.
export interface FieldIssue {
  location?: string;
  path?: string;
  field?: string;
  elementId?: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public details: FieldIssue[] = [],
  ) {
    super(message);
  }
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
}

interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

const SESSION_KEY = 'saraban.session';
const CAPACITY_KEY = 'saraban.capacity';
const EXPIRED_KEY = 'saraban.sessionEnded';
/** Refresh this long before the access token expires. */
export const REFRESH_MARGIN_MS = 60_000;

type Listener = (tokens: Tokens | null) => void;
const listeners = new Set<Listener>();

function readTokens(): Tokens | null {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    return raw ? (JSON.parse(raw) as Tokens) : null;
  } catch {
    return null;
  }
}

let tokens: Tokens | null = readTokens();

function setTokens(next: Tokens | null): void {
  tokens = next;
  if (next) localStorage.setItem(SESSION_KEY, JSON.stringify(next));
  else localStorage.removeItem(SESSION_KEY);
  for (const l of listeners) l(next);
}

// Another tab that refreshed or signed out shares the outcome with this one.
window.addEventListener('storage', (event) => {
  if (event.key !== SESSION_KEY) return;
  tokens = readTokens();
  for (const l of listeners) l(tokens);
});

/** True once after the server ended the session (not a sign-out): the sign-in page says so. */
export function takeSessionEnded(): boolean {
  const ended = sessionStorage.getItem(EXPIRED_KEY) === '1';
  sessionStorage.removeItem(EXPIRED_KEY);
  return ended;
}

export function currentTokens(): Tokens | null {
  return tokens;
}

export function onTokens(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function actingCapacity(): number | null {
  const raw = localStorage.getItem(CAPACITY_KEY);
  return raw ? Number(raw) : null;
}

export function setActingCapacity(positionId: number | null): void {
  if (positionId == null) localStorage.removeItem(CAPACITY_KEY);
  else localStorage.setItem(CAPACITY_KEY, String(positionId));
}

const toTokens = (pair: TokenPair): Tokens => ({
  accessToken: pair.accessToken,
  refreshToken: pair.refreshToken,
  expiresAt: Date.now() + pair.expiresIn * 1000,
});

async function errorOf(res: Response): Promise<ApiError> {
  let body: { error?: { code?: string; message?: string; details?: unknown } } = {};
  try {
    body = await res.json();
  } catch {
    // not JSON (a proxy's error page): fall through to a generic error
  }
  const e = body.error ?? {};
  return new ApiError(res.status, e.code ?? `http_${res.status}`, e.message ?? res.statusText, Array.isArray(e.details) ? (e.details as FieldIssue[]) : []);
}

export async function login(username: string, password: string): Promise<void> {
  const res = await fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw await errorOf(res);
  setTokens(toTokens((await res.json()) as TokenPair));
}

let refreshing: Promise<Tokens | null> | null = null;

/** Exchanges the refresh token for a new pair; one exchange at a time (the server rotates it). */
export function refresh(): Promise<Tokens | null> {
  if (refreshing) return refreshing;
  const used = tokens?.refreshToken;
  if (!used) return Promise.resolve(null);
  refreshing = (async () => {
    try {
      const res = await fetch('/api/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: used }) });
      if (res.ok) {
        setTokens(toTokens((await res.json()) as TokenPair));
        return tokens;
      }
      // Another tab may have rotated it first: take its pair if there is a newer one.
      const stored = readTokens();
      if (stored && stored.refreshToken !== used) {
        setTokens(stored);
        return stored;
      }
      if (res.status === 401 || res.status === 400 || res.status === 422) {
        sessionStorage.setItem(EXPIRED_KEY, '1');
        setTokens(null);
      }
      return null;
    } catch {
      return tokens; // offline: keep the session, try again later
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export async function logout(): Promise<void> {
  const current = tokens;
  if (current) {
    try {
      await request('/auth/logout', { method: 'POST', body: { refreshToken: current.refreshToken } });
    } catch {
      // signing out locally matters more than telling the server
    }
  }
  setActingCapacity(null);
  setTokens(null);
}

async function accessToken(): Promise<string | null> {
  if (!tokens) return null;
  if (tokens.expiresAt - Date.now() < REFRESH_MARGIN_MS / 2) await refresh();
  return tokens?.accessToken ?? null;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Answer as text instead of JSON (e.g. BPMN XML). */
  text?: boolean;
  /** Answer as a Blob (a file's content: links cannot carry the bearer token). */
  blob?: boolean;
}

export async function request<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
  const send = async () => {
    const headers: Record<string, string> = { accept: options.text ? 'text/xml, application/json' : options.blob ? '*/*' : 'application/json' };
    const token = await accessToken();
    if (token) headers.authorization = `Bearer ${token}`;
    headers['accept-language'] = document.documentElement.lang || 'th'; // field messages in the UI's language
    const capacity = actingCapacity();
    if (capacity) headers['x-acting-capacity'] = String(capacity);
    // A multipart upload goes as it is (the browser sets the boundary); anything else as JSON.
    const form = options.body instanceof FormData;
    if (options.body !== undefined && !form) headers['content-type'] = 'application/json';
    return fetch(`/api${path}`, { method: options.method ?? 'GET', headers, body: options.body === undefined ? undefined : form ? (options.body as FormData) : JSON.stringify(options.body) });
  };
  let res = await send();
  if (res.status === 401 && tokens) {
    if (await refresh()) res = await send();
  }
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204) return undefined as T;
  if (options.blob) return (await res.blob()) as T;
  return (options.text ? await res.text() : await res.json()) as T;
}

export const api = {
  get: <T,>(path: string) => request<T>(path),
  text: (path: string) => request<string>(path, { text: true }),
  blob: (path: string) => request<Blob>(path, { blob: true }),
  post: <T,>(path: string, body?: unknown) => request<T>(path, { method: 'POST', body: body ?? {} }),
  patch: <T,>(path: string, body: unknown) => request<T>(path, { method: 'PATCH', body }),
  put: <T,>(path: string) => request<T>(path, { method: 'PUT' }),
  delete: <T,>(path: string) => request<T>(path, { method: 'DELETE' }),
};

/** Server validation issues keyed by field name, for showing them next to the fields. */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  for (const d of error.details) {
    const key = d.path ?? d.field;
    if (key && d.location !== 'params' && d.location !== 'query' && !out[key]) out[key] = d.message;
  }
  return out;
}
