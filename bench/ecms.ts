// ECMS adapter figures (issue 15): letters/s and send→handler p50/p95 between our client and our
// SOAP endpoint on loopback (both XML-DSig signatures made and checked), and for one large letter
// the time end to end and the longest event-loop stall meanwhile (the heavy work runs on workers).
// Usage: npx tsx bench/ecms.ts [letters=200] [concurrency=4] [largeMb=10]
import express from 'express';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { makeParty, listen, samplePdf } from '../test/exchange/ecms-helpers';
import { createEcmsRouter } from '../server/modules/exchange/ecms/server';
import { EcmsClient } from '../server/modules/exchange/ecms/client';
import { MemoryReplayStore, MemoryPickupQueue } from '../server/modules/exchange/ecms/memory-stores';
import { closeEcmsPool } from '../server/modules/exchange/ecms/pool';
import type { EcmsLetter } from '../server/modules/exchange/ecms/messages';

const [letters = 200, concurrency = 4, largeMb = 10] = process.argv.slice(2).map(Number);

async function main() {
  const us = makeParty('11008'), them = makeParty('12001');
  const app = express();
  const server = await listen(app);
  const url = `${server.url}/ecms/ws`;
  const arrivedAt = new Map<string, number>();
  app.use('/ecms/ws', createEcmsRouter({
    identity: us, endpointUrls: [url], replay: new MemoryReplayStore(), queue: new MemoryPickupQueue(), onRefused: (r) => console.error('refused', r), maxBytes: 64 * 1024 * 1024,
    resolvePeer: async (id) => (id === '12001' ? { ecmsOrganisationId: id, endpointUrl: 'x', certificatePem: them.certificatePem } : null),
    handlers: { onLetterArrived: async ({ letter }) => (arrivedAt.set(letter.letterNumber, performance.now()), { processId: letter.letterNumber }), onNotifier: async () => ({ processId: 'n' }), onWithdraw: async () => true, organisations: async () => [] },
  }));
  const client = new EcmsClient(them, { ecmsOrganisationId: '11008', endpointUrl: url, certificatePem: us.certificatePem });
  const letter = (n: number, content: Buffer): EcmsLetter => ({
    letterNumber: `กค 0401/${n}`, correspondenceDate: '2026-12-04', subject: 'ทดสอบความเร็ว', secretCode: '001', speedCode: '001', sender: { ministryId: '12', departmentId: '12001' }, receiver: { ministryId: '11', departmentId: '11008' },
    references: [], sendDate: new Date().toISOString(), mainLetter: { mimeCode: 'application/pdf', content }, attachments: [],
  });
  const pdf = Buffer.concat(Array.from({ length: Math.ceil(100_000 / samplePdf.length) }, () => samplePdf)).subarray(0, 100_000);
  await client.sendLetter(letter(0, pdf)); // warm up (worker threads, node-soap's WSDL)
  const latencies: number[] = [];
  let next = 1;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next <= letters) {
      const n = next++;
      const start = performance.now();
      await client.sendLetter(letter(n, pdf));
      latencies.push(arrivedAt.get(`กค 0401/${n}`)! - start);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(0);
  console.log(`ecms: ${letters} letters of 100 KB, ${concurrency} at a time: ${(letters / seconds).toFixed(1)} letters/s; send→handler p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms`);

  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const start = performance.now();
  await client.sendLetter(letter(letters + 1, Buffer.alloc(largeMb * 1024 * 1024, 0x41)));
  lag.disable();
  console.log(`ecms: one ${largeMb} MB letter end to end ${(performance.now() - start).toFixed(0)} ms; longest event-loop stall meanwhile ${(lag.max / 1e6).toFixed(0)} ms`);
  await server.close();
  await closeEcmsPool();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
