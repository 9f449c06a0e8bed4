import { expect } from 'chai';
import { api, login, orgByCode, unique, Session } from '../helpers/factories';
import { Unit, User, Organisation } from '../../server/db/models';

describe('bad input gets a clean 4xx JSON error and leaves nothing behind', () => {
  let admin: Session;
  let central: Organisation;
  before(async () => {
    admin = await login('admin');
    central = await orgByCode('สธ 02');
  });

  const expectError = (res: { status: number; body: { error: { code: string; message: string } }; headers: Record<string, string> }, status: number) => {
    expect(res.status).to.equal(status);
    expect(res.headers['content-type']).to.match(/application\/json/);
    expect(res.body.error.code).to.be.a('string');
    expect(res.body.error.message).to.be.a('string');
    expect(JSON.stringify(res.body)).to.not.match(/at .*\.(ts|js):\d+/); // no stack trace
  };

  it('missing fields: 400 listing each field', async () => {
    const res = await api().post(`/api/organisations/${central.id}/users`).set(admin.auth).send({ username: 'someone' });
    expectError(res, 400);
    const paths = (res.body.error.details as Array<{ path: string }>).map((d) => d.path);
    expect(paths).to.include.members(['password', 'firstNameTh', 'lastNameTh']);
  });

  it('says what is wrong in Thai to a client that prefers Thai, in English otherwise', async () => {
    const send = (language?: string) => {
      const req = api().post(`/api/organisations/${central.id}/units`).set(admin.auth);
      return (language ? req.set('accept-language', language) : req).send({ kind: 'section', nameTh: '' });
    };
    const messageOf = (res: { body: { error: { details: Array<{ path: string; message: string }> } } }) => res.body.error.details.find((d) => d.path === 'nameTh')!.message;
    const th = await send('th-TH,th;q=0.9,en;q=0.8');
    expectError(th, 400);
    expect(messageOf(th)).to.match(/[\u0E00-\u0E7F]/);
    expect(messageOf(await send())).to.not.match(/[\u0E00-\u0E7F]/);
    expect(messageOf(await send('en-GB'))).to.not.match(/[\u0E00-\u0E7F]/);
  });

  it('wrong types and unknown fields: 400', async () => {
    expectError(await api().post(`/api/organisations/${central.id}/units`).set(admin.auth).send({ kind: 5, nameTh: ['a'] }), 400);
    expectError(await api().post(`/api/organisations/${central.id}/units`).set(admin.auth).send({ kind: 'section', nameTh: 'x', isAdmin: true }), 400);
    expectError(await api().post(`/api/organisations/${central.id}/units`).set(admin.auth).send([1, 2, 3]), 400);
  });

  it('a non-numeric id in the path: 400; a missing record: 404', async () => {
    expectError(await api().get('/api/users/abc').set(admin.auth), 400);
    expectError(await api().get('/api/users/-1').set(admin.auth), 400);
    expectError(await api().get('/api/users/99999999').set(admin.auth), 404);
  });

  it('malformed JSON: 400', async () => {
    const res = await api().post('/api/auth/login').set('Content-Type', 'application/json').send('{"username": "clerk", ');
    expectError(res, 400);
    expect(res.body.error.code).to.equal('malformed_json');
  });

  it('a 5 MB JSON body: 413, and nothing is written', async () => {
    const before = await Unit.count();
    const res = await api().post(`/api/organisations/${central.id}/units`).set(admin.auth).set('Content-Type', 'application/json').send(JSON.stringify({ kind: 'section', nameTh: 'ก'.repeat(5 * 1024 * 1024 / 3) }));
    expectError(res, 413);
    expect(await Unit.count()).to.equal(before);
  });

  it('SQL-ish strings are kept as plain text and break nothing', async () => {
    const nasty = `x'); DROP TABLE users; -- ${unique()}`;
    const res = await api().post(`/api/organisations/${central.id}/units`).set(admin.auth).send({ kind: 'section', nameTh: nasty });
    expect(res.status).to.equal(201);
    expect((await Unit.findByPk(res.body.id))!.nameTh).to.equal(nasty);
    const search = await api().get(`/api/organisations/${central.id}/users`).query({ q: "' OR 1=1 --" }).set(admin.auth);
    expect(search.status).to.equal(200);
    expect(search.body.items).to.have.length(0);
    expect(await User.count()).to.be.greaterThan(0);
    const login = await api().post('/api/auth/login').send({ username: "admin' --", password: "' OR '1'='1" });
    expectError(login, 401);
  });

  it('an over-long string: 400 before the database sees it', async () => {
    expectError(await api().post(`/api/organisations/${central.id}/units`).set(admin.auth).send({ kind: 'section', nameTh: 'ก'.repeat(300) }), 400);
  });

  it('malformed percent-encoding in a path or a query: 400, not a URIError 500', async () => {
    expectError(await api().get('/api/documents/%FF').set(admin.auth), 400);
    expectError(await api().get('/api/organisations/%E0%A4/users').set(admin.auth), 400);
    expect((await api().get('/api/search/documents?q=%E0%A4').set(admin.auth)).status).to.be.lessThan(500);
  });

  it('refuses NUL and unpaired surrogates in any string with 400, the unauthenticated sign-in included', async () => {
    for (const username of ['ad\u0000min', 'a\ud800', '\udc00x']) {
      const res = await api().post('/api/auth/login').set('X-Forwarded-For', '192.0.2.77').send({ username, password: 'whatever-it-is' });
      expectError(res, 400);
      expect(res.body.error.details[0].path).to.equal('username');
    }
    expectError(await api().get('/api/organisations?q=%00').set(admin.auth), 400);
    expectError(await api().post(`/api/organisations/${central.id}/units`).set(admin.auth).send({ kind: 'section', nameTh: 'หน่วย', 'x\u0000': 1 }), 400);
    // A well-formed pair (an emoji) is text.
    expect((await api().get(`/api/organisations/${central.id}/users`).query({ q: '😀' }).set(admin.auth)).status).to.equal(200);
  });

  it('refuses process variables nested 1,000 (or 17) deep or over 256 KB with 413, on every route that takes them', async () => {
    const clerk = await login('clerk');
    // 5,000 deep is refused by the JSON parser already (400); 1,000 parses, and used to reach the engine.
    const deep = JSON.parse('{"a":'.repeat(1000) + '1' + '}'.repeat(1000));
    const nested17 = JSON.parse('{"a":'.repeat(17) + '1' + '}'.repeat(17));
    const big = { note: 'ก'.repeat(100000) };
    const sends = [
      (variables: unknown) => api().post('/api/workflow/instances').set(clerk.auth).send({ processKey: 'incoming_letter', variables }),
      (variables: unknown) => api().post('/api/workflow/instances/1/messages').set(admin.auth).send({ messageId: 'm', variables }),
      (variables: unknown) => api().patch('/api/workflow/instances/1/variables').set(admin.auth).send({ variables }),
      (variables: unknown) => api().post('/api/tasks/1/complete').set(clerk.auth).send({ variables }),
    ];
    for (const send of sends) {
      for (const variables of [{ deep }, { nested17 }, big]) {
        const res = await send(variables);
        expect(res.status, JSON.stringify(res.body).slice(0, 400)).to.equal(413);
        expectError(res, 413);
        expect(res.body.error.code).to.equal('payload_too_large');
      }
    }
  });

  it('unknown routes: JSON 404', async () => {
    const res = await api().get('/api/no-such-thing').set(admin.auth);
    expectError(res, 404);
    expect(res.body.error.code).to.equal('route_not_found');
    expectError(await api().delete('/api/organisations').set(admin.auth), 404);
  });
});
