// The app serves the ECMS endpoint only when configured, outside /api, with its own size limit and
// SOAP Faults (not the JSON error shape).
import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../server/app';
import { testEnv } from '../helpers/env';
import { makeParty } from './ecms-helpers';
import { MemoryReplayStore, MemoryPickupQueue } from '../../server/modules/exchange/ecms/memory-stores';
import { loadEcmsSettings } from '../../server/modules/exchange/ecms/config';
import type { RefusalRecord } from '../../server/modules/exchange/ecms/types';

describe('ECMS endpoint in the app', function () {
  this.timeout(30000);
  const refusals: RefusalRecord[] = [];
  const options = () => ({
    identity: makeParty('11008'), endpointUrls: ['http://localhost/ecms/ws'], replay: new MemoryReplayStore(), queue: new MemoryPickupQueue(), maxBytes: 4096,
    resolvePeer: async () => null, onRefused: (r: RefusalRecord) => void refusals.push(r),
    handlers: { onLetterArrived: async () => ({ processId: 'x' }), onNotifier: async () => ({ processId: 'x' }), onWithdraw: async () => false, organisations: async () => [] },
  });
  const app = () => createApp({ ...testEnv().ctx, ecms: options() });

  it('is not served unless configured', async () => {
    const res = await request(testEnv().app).post('/ecms/ws').set('content-type', 'text/xml').send('<x/>');
    expect(res.status).to.equal(404);
    expect(res.body.error.code).to.equal('route_not_found');
  });

  it('serves its WSDL and answers SOAP Faults with 4xx, recorded for administrators', async () => {
    const a = app();
    const wsdl = await request(a).get('/ecms/ws?wsdl');
    expect(wsdl.status).to.equal(200);
    expect(wsdl.text).to.contain('CorrespondenceLetterOutboundRequest').and.contain('location="http://localhost/ecms/ws"');
    const unknown = await request(a).post('/ecms/ws').set('content-type', 'text/xml; charset=utf-8')
      .send('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsa="http://www.w3.org/2005/08/addressing"><soap:Header><wsa:From><wsa:Address>urn:th:gov:ecms:org:12001</wsa:Address></wsa:From></soap:Header><soap:Body/></soap:Envelope>');
    expect(unknown.status).to.equal(403);
    expect(unknown.headers['content-type']).to.match(/^text\/xml/);
    expect(unknown.text).to.contain('<Code>unknown_peer</Code>');
    const big = await request(a).post('/ecms/ws').set('content-type', 'text/xml').send(`<x>${'a'.repeat(5000)}</x>`);
    expect(big.status).to.equal(413);
    expect(refusals.map((r) => r.code)).to.deep.equal(['unknown_peer', 'too_large']);
  });

  it('limits requests per address before reading them: 429 as a SOAP Fault, recorded', async () => {
    refusals.length = 0;
    const limited = createApp({ ...testEnv().ctx, ecms: { ...options(), rateLimit: { windowMs: 60_000, limit: 2 } } });
    const send = () => request(limited).post('/ecms/ws').set('content-type', 'text/xml').send('<x/>');
    expect((await send()).status).to.equal(400);
    expect((await send()).status).to.equal(400);
    const third = await send();
    expect(third.status).to.equal(429);
    expect(third.headers['retry-after']).to.equal('60');
    expect(third.text).to.contain('<Code>rate_limited</Code>');
    expect(refusals.map((r) => r.code)).to.deep.equal(['malformed', 'malformed', 'rate_limited']);
  });

  it('reads its settings from the environment and refuses to start half-configured', () => {
    const saved = { ...process.env };
    try {
      process.env.ECMS_ENABLED = 'true';
      delete process.env.ECMS_ORGANISATION_ID;
      expect(() => loadEcmsSettings({ publicUrl: 'https://saraban.example.go.th' })).to.throw(/ECMS_ORGANISATION_ID/);
      process.env.ECMS_ORGANISATION_ID = '11008';
      process.env.ECMS_MAX_BYTES = '1000';
      const s = loadEcmsSettings({ publicUrl: 'https://saraban.example.go.th/' });
      expect(s).to.deep.include({ enabled: true, organisationId: '11008', maxBytes: 1000, clockSkewMs: 900_000 });
      expect(s.endpointUrls).to.deep.equal(['https://saraban.example.go.th/ecms/ws']);
    } finally {
      process.env = saved;
    }
  });
});
