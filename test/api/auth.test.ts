import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { ageRotation, api, buildOrganisation, buildUser, login, DEMO_PASSWORD } from '../helpers/factories';
import { testEnv } from '../helpers/env';
import { RefreshToken, User } from '../../server/db/models';
import { ACTOR_MAX_AGE_MS } from '../../server/modules/auth/actor';
import { hashPassword, verifyPassword } from '../../server/modules/auth/passwords';

describe('sign-in', () => {
  it('returns an access token and a refresh token for a demo login, and /me names the organisation', async () => {
    const res = await api().post('/api/auth/login').send({ username: 'clerk', password: DEMO_PASSWORD });
    expect(res.status).to.equal(200);
    expect(res.body).to.include.keys('accessToken', 'refreshToken', 'expiresIn');
    expect(res.body.tokenType).to.equal('Bearer');
    const me = await api().get('/api/me').set('Authorization', `Bearer ${res.body.accessToken}`);
    expect(me.status).to.equal(200);
    expect(me.body.user.username).to.equal('clerk');
    expect(me.body.user).to.not.have.property('passwordHash');
    expect(me.body.organisation.nameTh).to.equal('สำนักงานปลัดกระทรวงสาธารณสุข');
    expect(me.body.user.roles).to.include('registry_clerk');
  });

  it('stores passwords as argon2id hashes, never in clear', async () => {
    const user = await User.findOne({ where: { username: 'clerk' } });
    expect(user!.passwordHash).to.match(/^\$argon2id\$/);
    expect(user!.passwordHash).to.not.include(DEMO_PASSWORD);
  });

  it('hashes with argon2id at 64 MiB and 3 passes unless the test suite asks for cheap hashes', async () => {
    const cost = process.env.PASSWORD_HASH_COST;
    try {
      delete process.env.PASSWORD_HASH_COST;
      expect(await hashPassword('x')).to.match(/^\$argon2id\$v=19\$m=65536,p=4,t=3\$/);
      process.env.PASSWORD_HASH_COST = 'test';
      const cheap = await hashPassword('x');
      expect(cheap).to.match(/^\$argon2id\$v=19\$m=1024,p=1,t=1\$/);
      expect(await verifyPassword(cheap, 'x')).to.equal(true);
    } finally {
      if (cost === undefined) delete process.env.PASSWORD_HASH_COST;
      else process.env.PASSWORD_HASH_COST = cost;
    }
  });

  it('refuses a wrong password and an unknown user with the same 401', async () => {
    const wrong = await api().post('/api/auth/login').send({ username: 'director', password: 'not-the-password' });
    const unknown = await api().post('/api/auth/login').send({ username: 'nobody-here', password: 'not-the-password' });
    for (const res of [wrong, unknown]) {
      expect(res.status).to.equal(401);
      expect(res.body.error.code).to.equal('invalid_credentials');
    }
  });

  it('requires a token on every API route except login and health', async () => {
    expect((await api().get('/api/health')).status).to.equal(200);
    for (const path of ['/api/me', '/api/organisations', '/api/organisations/1/users', '/api/code-lists/ministries']) {
      const res = await api().get(path);
      expect(res.status, path).to.equal(401);
      expect(res.body.error.code).to.equal('unauthorized');
    }
  });

  it('refuses a tampered, a wrongly signed and an expired token', async () => {
    const { accessToken } = await login('officer');
    const [h, p, s] = accessToken.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const tamperedPayload = Buffer.from(JSON.stringify({ ...payload, sub: '1' })).toString('base64url');
    const secret = testEnv().ctx.tokens.secret;
    const cases: Array<[string, string]> = [
      [`${h}.${tamperedPayload}.${s}`, 'invalid_token'],
      [jwt.sign({ sub: payload.sub, org: payload.org, tv: 0 }, 'another-secret-another-secret-another', { issuer: 'saraban' }), 'invalid_token'],
      [jwt.sign({ sub: payload.sub, org: payload.org, tv: 0, exp: Math.floor(Date.now() / 1000) - 10 }, secret, { issuer: 'saraban' }), 'token_expired'],
      [jwt.sign({ sub: payload.sub, org: payload.org, tv: 0 }, '', { algorithm: 'none' } as never), 'invalid_token'],
      ['not-a-jwt', 'invalid_token'],
    ];
    for (const [token, code] of cases) {
      const res = await api().get('/api/me').set('Authorization', `Bearer ${token}`);
      expect(res.status).to.equal(401);
      expect(res.body.error.code).to.equal(code);
    }
  });

  it('rotates refresh tokens: the old one stops working, and reusing it after the grace window revokes the whole family', async () => {
    const first = await login('officer');
    const refreshed = await api().post('/api/auth/refresh').send({ refreshToken: first.refreshToken });
    expect(refreshed.status).to.equal(200);
    expect(refreshed.body.refreshToken).to.not.equal(first.refreshToken);
    expect((await api().get('/api/me').set('Authorization', `Bearer ${refreshed.body.accessToken}`)).status).to.equal(200);
    await ageRotation(first.refreshToken);

    const reuse = await api().post('/api/auth/refresh').send({ refreshToken: first.refreshToken });
    expect(reuse.status).to.equal(401);
    expect(reuse.body.error.code).to.equal('refresh_token_revoked');
    // The token issued by the rotation is now revoked too: a leaked token cannot outlive detection.
    const second = await api().post('/api/auth/refresh').send({ refreshToken: refreshed.body.refreshToken });
    expect(second.status).to.equal(401);
  });

  it('logout ends the session: its refresh token and its access token, not the user\'s other sessions', async () => {
    const session = await login('officer');
    const other = await login('officer');
    const out = await api().post('/api/auth/logout').set(session.auth).send({ refreshToken: session.refreshToken });
    expect(out.status).to.equal(204);
    const res = await api().post('/api/auth/refresh').send({ refreshToken: session.refreshToken });
    expect(res.status).to.equal(401);
    const me = await api().get('/api/me').set(session.auth);
    expect(me.status).to.equal(401);
    expect(me.body.error.code).to.equal('session_ended');
    expect((await api().get('/api/me').set(other.auth)).status).to.equal(200);
  });

  it('a signing grant (the fresh password check) is not an access token', async () => {
    const session = await login((await buildUser((await buildOrganisation()).id)).username);
    expect((await api().put('/api/signatures/pin').set(session.auth).send({ pin: '24681357' })).status).to.equal(204);
    const check = await api().post('/api/signatures/check').set(session.auth).send({ password: DEMO_PASSWORD });
    expect(check.status, JSON.stringify(check.body)).to.equal(200);
    const me = await api().get('/api/me').set('Authorization', `Bearer ${check.body.signingGrant}`);
    expect(me.status).to.equal(401);
    expect(me.body.error.code).to.equal('invalid_token');
  });

  it('an access token whose session ended in another server process is refused once the kept state ages out', async () => {
    const user = await buildUser((await buildOrganisation()).id);
    const session = await login(user.username);
    expect((await api().get('/api/me').set(session.auth)).status).to.equal(200);
    // As another process would: the table only, none of this process's signals.
    await RefreshToken.update({ revokedAt: new Date() }, { where: { revokedAt: null, userId: user.id } });
    await new Promise((resolve) => setTimeout(resolve, ACTOR_MAX_AGE_MS + 200));
    expect((await api().get('/api/me').set(session.auth)).body.error?.code).to.equal('session_ended');
  });

  it('logout everywhere ends access tokens and refresh tokens of every session', async () => {
    const org = await buildOrganisation();
    const user = await buildUser(org.id);
    const a = await login(user.username);
    const b = await login(user.username);
    expect((await api().post('/api/auth/logout').set(a.auth).send({ everywhere: true })).status).to.equal(204);
    expect((await api().get('/api/me').set(b.auth)).body.error.code).to.equal('token_revoked');
    expect((await api().post('/api/auth/refresh').send({ refreshToken: b.refreshToken })).status).to.equal(401);
    expect(await RefreshToken.count({ where: { userId: user.id, revokedAt: null } })).to.equal(0);
  });

  it('a password change ends the old sessions and returns a working new pair', async () => {
    const org = await buildOrganisation();
    const user = await buildUser(org.id);
    const old = await login(user.username);
    const wrong = await api().post('/api/auth/password').set(old.auth).send({ currentPassword: 'wrong-password!', newPassword: 'a-new-long-password' });
    expect(wrong.status).to.equal(403);
    const short = await api().post('/api/auth/password').set(old.auth).send({ currentPassword: DEMO_PASSWORD, newPassword: 'short' });
    expect(short.status).to.equal(400);
    const res = await api().post('/api/auth/password').set(old.auth).send({ currentPassword: DEMO_PASSWORD, newPassword: 'a-new-long-password' });
    expect(res.status).to.equal(200);
    expect((await api().get('/api/me').set(old.auth)).status).to.equal(401);
    expect((await api().post('/api/auth/refresh').send({ refreshToken: old.refreshToken })).status).to.equal(401);
    expect((await api().get('/api/me').set('Authorization', `Bearer ${res.body.accessToken}`)).status).to.equal(200);
    expect((await api().post('/api/auth/login').send({ username: user.username, password: DEMO_PASSWORD })).status).to.equal(401);
    await login(user.username, 'a-new-long-password');
  });

  it('rate-limits repeated failed logins with a JSON 429, even for the right password afterwards', async () => {
    const org = await buildOrganisation();
    const user = await buildUser(org.id);
    const max = testEnv().ctx.config.loginRateLimit.max;
    for (let i = 0; i < max; i++) {
      expect((await api().post('/api/auth/login').send({ username: user.username, password: `wrong-${i}` })).status).to.equal(401);
    }
    const limited = await api().post('/api/auth/login').send({ username: user.username, password: DEMO_PASSWORD });
    expect(limited.status).to.equal(429);
    expect(limited.body.error.code).to.equal('too_many_requests');
    expect(limited.headers['retry-after']).to.match(/^\d+$/);
    // Another account from the same address is not locked out by it.
    await login('officer');
  });

  it('a disabled account cannot sign in and its tokens stop working', async () => {
    const org = await buildOrganisation();
    const user = await buildUser(org.id);
    const session = await login(user.username);
    await user.update({ active: false });
    expect((await api().get('/api/me').set(session.auth)).status).to.equal(401);
    expect((await api().post('/api/auth/login').send({ username: user.username, password: DEMO_PASSWORD })).status).to.equal(401);
  });
});
