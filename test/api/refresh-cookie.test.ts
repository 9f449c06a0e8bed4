// The web app's refresh token in an httpOnly cookie: its attributes, refresh by cookie with the
// session header (CSRF), the grace window for concurrent tabs, and sign-out clearing it.
import { expect } from 'chai';
import type { Response } from 'supertest';
import { ageRotation, api, buildOrganisation, buildUser, DEMO_PASSWORD, refreshTokenRow } from '../helpers/factories';
import { testEnv } from '../helpers/env';
import type { User } from '../../server/db/models';

const WEB = { 'X-Saraban-Session': 'cookie' };

/** The refresh cookie a response sets, with its attributes (undefined when it sets none). */
function refreshCookieOf(res: Response): { value: string; attributes: Record<string, string | true> } | undefined {
  const raw = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('saraban_refresh='));
  if (!raw) return undefined;
  const [first, ...rest] = raw.split(';').map((part) => part.trim());
  const attributes: Record<string, string | true> = {};
  for (const part of rest) {
    const at = part.indexOf('=');
    attributes[(at < 0 ? part : part.slice(0, at)).toLowerCase()] = at < 0 ? true : part.slice(at + 1);
  }
  return { value: first.slice('saraban_refresh='.length), attributes };
}

const cookieHeader = (token: string) => ({ Cookie: `saraban_refresh=${token}` });
async function webLogin(user: User, headers: Record<string, string> = {}) {
  const res = await api().post('/api/auth/login').set(WEB).set(headers).send({ username: user.username, password: DEMO_PASSWORD });
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  const cookie = refreshCookieOf(res);
  expect(cookie, 'refresh cookie').to.not.equal(undefined);
  return { res, token: cookie!.value, auth: { Authorization: `Bearer ${res.body.accessToken}` } };
}

const refreshByCookie = (token: string) => api().post('/api/auth/refresh').set(WEB).set(cookieHeader(token)).send({});

describe('refresh token in an httpOnly cookie (web app)', () => {
  let user: User;
  before(async () => {
    user = await buildUser((await buildOrganisation()).id);
  });

  it('sets the refresh cookie on login as HttpOnly, SameSite=Strict, Path=/api/auth, Max-Age of the token, and leaves it out of the body', async () => {
    const { res } = await webLogin(user);
    const { attributes } = refreshCookieOf(res)!;
    expect(attributes.httponly).to.equal(true);
    expect(attributes.samesite).to.equal('Strict');
    expect(attributes.path).to.equal('/api/auth');
    expect(attributes['max-age']).to.equal(String(testEnv().ctx.tokens.refreshTokenTtlSeconds));
    expect(attributes).to.not.have.property('secure'); // plain HTTP: a Secure cookie would never come back
    expect(res.body).to.include.keys('accessToken', 'expiresIn');
    expect(res.body).to.not.have.property('refreshToken');
  });

  it('marks the cookie Secure over HTTPS, as told by a trusted proxy', async () => {
    const { res } = await webLogin(user, { 'X-Forwarded-Proto': 'https' });
    expect(refreshCookieOf(res)!.attributes.secure).to.equal(true);
  });

  it('keeps the refresh token in the body, and sets no cookie, for API clients that do not ask for the cookie', async () => {
    const res = await api().post('/api/auth/login').send({ username: user.username, password: DEMO_PASSWORD });
    expect(res.status).to.equal(200);
    expect(res.body.refreshToken).to.be.a('string');
    expect(refreshCookieOf(res)).to.equal(undefined);
  });

  it('refreshes with the cookie: a new access token, a rotated cookie, and the old token revoked', async () => {
    const { token } = await webLogin(user);
    const res = await refreshByCookie(token);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.not.have.property('refreshToken');
    const next = refreshCookieOf(res)!;
    expect(next.value).to.not.equal(token);
    expect(next.attributes.httponly).to.equal(true);
    expect((await refreshTokenRow(token))!.revokedAt).to.not.equal(null);
    expect((await api().get('/api/me').set('Authorization', `Bearer ${res.body.accessToken}`)).status).to.equal(200);
    expect((await refreshByCookie(next.value)).status).to.equal(200);
  });

  it('refuses a refresh by cookie without the X-Saraban-Session header (another site cannot send it) and leaves the token unused', async () => {
    const { token } = await webLogin(user);
    const res = await api().post('/api/auth/refresh').set(cookieHeader(token)).send({});
    expect(res.status).to.equal(403);
    expect(res.body.error.code).to.equal('session_header_missing');
    expect((await refreshTokenRow(token))!.revokedAt).to.equal(null);
    expect((await refreshByCookie(token)).status).to.equal(200);
  });

  it('takes the body token over the cookie when both are given, and answers the way the header asks', async () => {
    const web = await webLogin(user);
    const script = await api().post('/api/auth/login').send({ username: user.username, password: DEMO_PASSWORD });
    const res = await api().post('/api/auth/refresh').set(cookieHeader(web.token)).send({ refreshToken: script.body.refreshToken });
    expect(res.status).to.equal(200);
    expect(res.body.refreshToken).to.be.a('string');
    expect(refreshCookieOf(res)).to.equal(undefined);
    expect((await refreshTokenRow(script.body.refreshToken))!.revokedAt).to.not.equal(null);
    expect((await refreshTokenRow(web.token))!.revokedAt).to.equal(null);
  });

  it('moves a body token into the cookie when the header asks (a browser upgrading from the localStorage session)', async () => {
    const old = await api().post('/api/auth/login').send({ username: user.username, password: DEMO_PASSWORD });
    const res = await api().post('/api/auth/refresh').set(WEB).send({ refreshToken: old.body.refreshToken });
    expect(res.status).to.equal(200);
    expect(res.body).to.not.have.property('refreshToken');
    expect((await refreshByCookie(refreshCookieOf(res)!.value)).status).to.equal(200);
  });

  it('lets two tabs refresh at once with the same cookie, but a reuse after the grace window still revokes the session', async () => {
    const { token } = await webLogin(user);
    const [a, b] = await Promise.all([refreshByCookie(token), refreshByCookie(token)]);
    expect([a.status, b.status], JSON.stringify([a.body, b.body])).to.deep.equal([200, 200]);
    const [cookieA, cookieB] = [refreshCookieOf(a)!.value, refreshCookieOf(b)!.value];
    expect(cookieA).to.not.equal(cookieB);
    // Within the window, again (a reload whose first answer was lost): still accepted.
    const again = await refreshByCookie(token);
    expect(again.status).to.equal(200);

    await ageRotation(token);
    const stolen = await refreshByCookie(token);
    expect(stolen.status).to.equal(401);
    expect(stolen.body.error.code).to.equal('refresh_token_revoked');
    expect(refreshCookieOf(stolen)!.attributes.expires).to.match(/1970/);
    // As before the cookie: the whole family is revoked, whichever token a tab holds.
    for (const t of [cookieA, cookieB, refreshCookieOf(again)!.value]) expect((await refreshByCookie(t)).status).to.equal(401);
  });

  it('grants no grace to a token whose session was signed out', async () => {
    const { token } = await webLogin(user);
    const rotated = await refreshByCookie(token);
    const current = refreshCookieOf(rotated)!.value;
    const out = await api().post('/api/auth/logout').set(WEB).set(cookieHeader(current)).set('Authorization', `Bearer ${rotated.body.accessToken}`).send({});
    expect(out.status).to.equal(204);
    expect((await refreshByCookie(token)).status).to.equal(401);
  });

  it('clears the cookie on logout and revokes the session it held', async () => {
    const { token, auth } = await webLogin(user);
    const out = await api().post('/api/auth/logout').set(WEB).set(cookieHeader(token)).set(auth).send({});
    expect(out.status).to.equal(204);
    const cleared = refreshCookieOf(out)!;
    expect(cleared.value).to.equal('');
    expect(cleared.attributes.path).to.equal('/api/auth');
    expect(cleared.attributes.expires).to.match(/1970/);
    const res = await refreshByCookie(token);
    expect(res.status).to.equal(401);
  });

  it('clears the cookie on logout everywhere', async () => {
    const { token, auth } = await webLogin(user);
    const out = await api().post('/api/auth/logout').set(WEB).set(cookieHeader(token)).set(auth).send({ everywhere: true });
    expect(out.status).to.equal(204);
    expect(refreshCookieOf(out)!.attributes.expires).to.match(/1970/);
    expect((await refreshByCookie(token)).status).to.equal(401);
  });

  it('answers bad refresh requests with JSON 4xx errors', async () => {
    const none = await api().post('/api/auth/refresh').set(WEB).send({});
    expect(none.status).to.equal(401);
    expect(none.body.error.code).to.equal('no_refresh_token');
    const noBody = await api().post('/api/auth/refresh').set(WEB);
    expect(noBody.status).to.equal(401);
    const malformed = await api().post('/api/auth/refresh').set(WEB).set('Cookie', 'saraban_refresh=%%%; other=1').send({});
    expect(malformed.status).to.equal(401);
    expect(malformed.body.error.code).to.equal('invalid_refresh_token');
    expect(refreshCookieOf(malformed)!.attributes.expires).to.match(/1970/);
    const unknown = await refreshByCookie('a'.repeat(43));
    expect(unknown.status).to.equal(401);
    expect(unknown.body.error.code).to.equal('invalid_refresh_token');
    for (const body of [{ refreshToken: 5 }, { refreshToken: 'short' }, { token: 'x'.repeat(20) }, []]) {
      const res = await api().post('/api/auth/refresh').set(WEB).send(body as object);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body.error).to.include.keys('code', 'message');
    }
    const logout = await api().post('/api/auth/logout').set(WEB).set((await webLogin(user)).auth).send({});
    expect(logout.status).to.equal(422);
  });
});
