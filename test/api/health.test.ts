import { expect } from 'chai';
import { api } from '../helpers/factories';
import { testEnv } from '../helpers/env';

describe('health, API description and headers', () => {
  it('reports the database it runs on', async () => {
    const res = await api().get('/api/health');
    expect(res.status).to.equal(200);
    expect(res.body.status).to.equal('ok');
    expect(res.body.database.dialect).to.equal(testEnv().dialect === 'mariadb' ? 'mysql' : 'sqlite');
    expect(res.body.database.version).to.match(testEnv().dialect === 'mariadb' ? /MariaDB/i : /^3\./);
  });

  it('serves an OpenAPI 3 document generated from the validating schemas', async () => {
    const res = await api().get('/api/openapi.json');
    expect(res.status).to.equal(200);
    expect(res.body.openapi).to.match(/^3\./);
    expect(res.body.paths).to.include.keys('/auth/login', '/me', '/organisations/{orgId}/users', '/delegations/{id}/revoke');
    const create = res.body.paths['/organisations/{orgId}/users'].post;
    expect(create.security).to.deep.equal([{ bearer: [] }]);
    // The request schema is the one the route validates with: its required fields match.
    const schema = res.body.components.schemas.UserCreate;
    expect(schema.required).to.include.members(['username', 'password', 'firstNameTh', 'lastNameTh']);
    expect(res.body.paths['/auth/login'].post.security).to.deep.equal([]);
  });

  it('serves a browsable API page at /api/docs', async () => {
    const res = await api().get('/api/docs/').redirects(1);
    expect(res.status).to.equal(200);
    expect(res.text).to.include('swagger-ui');
  });

  it('sets security headers', async () => {
    const res = await api().get('/api/health');
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['content-security-policy']).to.include("default-src 'self'");
    expect(res.headers['strict-transport-security']).to.match(/max-age=/);
    expect(res.headers).to.not.have.property('x-powered-by');
  });
});
