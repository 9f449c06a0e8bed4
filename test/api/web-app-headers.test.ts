// The web app must load when the server is reached over plain HTTP on a LAN address.
import { expect } from 'chai';
import { api } from '../helpers/factories';

describe('headers for the web app', () => {
  it('does not ask browsers to upgrade to https when the page came over plain http', async () => {
    const res = await api().get('/api/health');
    expect(res.headers['content-security-policy']).to.include("default-src 'self'");
    expect(res.headers['content-security-policy']).to.not.include('upgrade-insecure-requests');
  });

  it('lets the web app show a fetched PDF in a frame (blob: URLs), and nothing from other sites', async () => {
    const res = await api().get('/api/health');
    expect(res.headers['content-security-policy']).to.include("frame-src 'self' blob:");
    expect(res.headers['content-security-policy']).to.include("object-src 'none'");
  });

  it('keeps upgrade-insecure-requests behind a TLS-terminating proxy (X-Forwarded-Proto: https)', async () => {
    const res = await api().get('/api/health').set('X-Forwarded-Proto', 'https');
    expect(res.headers['content-security-policy']).to.include('upgrade-insecure-requests');
  });

  it('lets the web app preview attachments it fetched with the token (blob: frames and images), nothing else from outside', async () => {
    const csp = String((await api().get('/api/health')).headers['content-security-policy']);
    expect(csp).to.include("frame-src 'self' blob:");
    expect(csp).to.include("img-src 'self' data: blob:");
    expect(csp).to.include("object-src 'none'");
  });
});
