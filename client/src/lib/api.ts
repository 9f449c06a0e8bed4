// The one way the web app talks to the server: JSON over /api with the access token (in memory),
// refreshed through the httpOnly refresh cookie before it expires (and once more on a 401), and
// the acting capacity header.
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

/** The access token, kept in memory only. The refresh token is an httpOnly cookie the page never sees. */
export interface Tokens {
  accessToken: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
}

interface TokenPair {
  accessToken: string;
  expiresIn: number;
}

/** Asks the server to keep the refresh token in its cookie, and lets a refresh use that cookie. */
const SESSION_HEADER = { 'x-saraban-session': 'cookie' };
/** Where earlier versions kept the refresh token: read once to move it into the cookie, then removed. */
const LEGACY_SESSION_KEY = 'saraban.session';
const CAPACITY_KEY = 'saraban.capacity';
const EXPIRED_KEY = 'saraban.sessionEnded';
/** Set when signing out could not reach the server (the cookie may still be alive): no automatic sign-in until the next login. */
const SIGNED_OUT_KEY = 'saraban.signedOut';
/** Refresh this long before the access token expires. */
export const REFRESH_MARGIN_MS = 60_000;

type Listener = (tokens: Tokens | null) => void;
const listeners = new Set<Listener>();

function takeLegacyRefreshToken(): string | undefined {
  try {
    const raw = localStorage.getItem(LEGACY_SESSION_KEY);
    localStorage.removeItem(LEGACY_SESSION_KEY);
    return raw ? ((JSON.parse(raw) as { refreshToken?: string }).refreshToken ?? undefined) : undefined;
  } catch {
    return undefined;
  }
}

let legacyRefreshToken = takeLegacyRefreshToken();
let tokens: Tokens | null = null;

// Tabs share the cookie but not their memory: a sign-in or sign-out in one is told to the others.
const tabs = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('saraban.session');

function setTokens(next: Tokens | null): void {
  tokens = next;
  for (const l of listeners) l(next);
}

tabs?.addEventListener('message', (event: MessageEvent<string>) => {
  if (event.data === 'signed-out') setTokens(null);
  else if (event.data === 'signed-in') void refresh();
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
  expiresAt: Date.now() + pair.expiresIn * 1000,
});

/** The UI's language as the page declares it (the i18n provider sets <html lang>). */
const uiLanguage = () => (typeof document === 'undefined' ? 'th' : document.documentElement.lang || 'th');

/** Where a message the server wrote twice, Thai first ("ไทย — English"), turns to English. */
const BILINGUAL = / — (?=[A-Za-z"'<(`$])/;

/**
 * A server message in the UI's language. Many of the server's messages are written twice, Thai
 * then English after " — " (errors from the workflow, the forms, the phrases, …); the UI shows its
 * own half. An English half that starts in lower case continues the Thai half's subject
 * ("camunda:x ถูกละไว้ — is not an attribute …"), so an English UI keeps such a message whole.
 * A message in one language (or one whose dash is part of a Thai sentence) stays as it is.
 */
export function inUiLanguage(message: string, lang: string = uiLanguage()): string {
  const at = message.search(BILINGUAL);
  if (at < 0) return message;
  const thai = message.slice(0, at);
  const english = message.slice(at + 3);
  if (!/[\u0E00-\u0E7F]/.test(thai)) return message;
  if (lang !== 'en') return thai;
  return /^[a-z]/.test(english) ? message : english;
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: { error?: { code?: string; message?: string; details?: unknown } } = {};
  try {
    body = await res.json();
  } catch {
    // not JSON (a proxy's error page): fall through to a generic error
  }
  const e = body.error ?? {};
  const details = Array.isArray(e.details) ? (e.details as FieldIssue[]).map((d) => (typeof d?.message === 'string' ? { ...d, message: inUiLanguage(d.message) } : d)) : [];
  return new ApiError(res.status, e.code ?? `http_${res.status}`, inUiLanguage(e.message ?? res.statusText), details);
}

export async function login(username: string, password: string): Promise<void> {
  const res = await fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', ...SESSION_HEADER }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw await errorOf(res);
  localStorage.removeItem(SIGNED_OUT_KEY);
  setTokens(toTokens((await res.json()) as TokenPair));
  tabs?.postMessage('signed-in');
}

let refreshing: Promise<Tokens | null> | null = null;

/** A new access token from the refresh cookie (which the server rotates); one exchange at a time in this tab. */
export function refresh(): Promise<Tokens | null> {
  if (refreshing) return refreshing;
  refreshing = (async () => {
    try {
      const body = legacyRefreshToken ? { refreshToken: legacyRefreshToken } : {};
      const res = await fetch('/api/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json', ...SESSION_HEADER }, body: JSON.stringify(body) });
      legacyRefreshToken = undefined;
      if (res.ok) {
        setTokens(toTokens((await res.json()) as TokenPair));
        return tokens;
      }
      if (res.status >= 400 && res.status < 500) {
        // No cookie at all is simply not signed in; a cookie the server refused is a session that ended.
        if (tokens || (await errorOf(res)).code !== 'no_refresh_token') sessionStorage.setItem(EXPIRED_KEY, '1');
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

let restoring: Promise<void> | undefined;

/** On page load: signed in again through the refresh cookie, unless this browser was signed out. */
export function restoreSession(): Promise<void> {
  restoring ??= localStorage.getItem(SIGNED_OUT_KEY) === '1' ? Promise.resolve() : refresh().then(() => undefined);
  return restoring;
}

export async function logout(): Promise<void> {
  if (tokens) {
    try {
      await request('/auth/logout', { method: 'POST', body: {} }); // the server revokes the session and clears the cookie
    } catch {
      localStorage.setItem(SIGNED_OUT_KEY, '1');
    }
  }
  setActingCapacity(null);
  setTokens(null);
  tabs?.postMessage('signed-out');
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
    const headers: Record<string, string> = { accept: options.text ? 'text/xml, application/json' : options.blob ? '*/*' : 'application/json', ...SESSION_HEADER };
    const token = await accessToken();
    if (token) headers.authorization = `Bearer ${token}`;
    headers['accept-language'] = uiLanguage(); // field messages in the UI's language
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
