// Benchmark: letters drawn as PDF/A-3b with a warm Chromium pool (issue 16). First one render to
// start Chromium and the PDF/A worker (printed apart: a server does this at start), then N
// one-page external letters one after the other (p50/p95/max), then the same N with C at a time
// (the pool's pages in parallel; throughput and p95 including the wait in the queue), then a few
// long letters. Also the event-loop delay of this process while rendering. Asserts nothing.
//
//   node --require tsx/cjs bench/letters-render.ts [letters=40] [concurrent=4] [long=3]
//   LETTER_RENDER_PAGES=n (pages kept warm, default min(4, cores))
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { renderLetterPdf, closeRenderer } from '../server/modules/letters/render';
import { letterPool } from '../server/modules/letters/chromium';
import { thaiText } from '../test/helpers/thai-text';
import { issuer, letterFields } from '../test/letters/helpers';

const N = Number(process.argv[2] ?? 40);
const C = Number(process.argv[3] ?? 4);
const LONG = Number(process.argv[4] ?? 3);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const line = (label: string, xs: number[]) =>
  console.log(`${label.padEnd(34)} n=${String(xs.length).padStart(3)}  p50 ${pct(xs, 50).toFixed(0).padStart(5)} ms  p95 ${pct(xs, 95).toFixed(0).padStart(5)} ms  max ${Math.max(...xs).toFixed(0).padStart(5)} ms`);

async function timed(fields: ReturnType<typeof letterFields>): Promise<{ ms: number; bytes: number }> {
  const t = performance.now();
  const { pdf } = await renderLetterPdf(fields, issuer, { signature: { mode: 'typed' } });
  return { ms: performance.now() - t, bytes: pdf.length };
}

(async () => {
  console.log(`letters: ${N} one-page letters, ${C} at a time, ${LONG} long ones; pool of ${letterPool().size} pages, queue bound ${letterPool().queueLimit}`);
  const cold = await timed(letterFields({ secrecy: 'confidential' }));
  console.log(`first render (starts Chromium and the PDF/A worker): ${cold.ms.toFixed(0)} ms, ${cold.bytes} bytes`);

  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const serial: number[] = [];
  for (let i = 0; i < N; i++) serial.push((await timed(letterFields({ subject: `ขอเชิญประชุม ครั้งที่ ${i + 1}`, secrecy: i % 2 ? 'confidential' : 'normal' }))).ms);
  line('one at a time (warm)', serial);

  const parallel: number[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: C }, async () => {
    while (next < N) {
      next++;
      parallel.push((await timed(letterFields({ subject: `ขอเชิญประชุม ครั้งที่ ${next}` }))).ms);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  line(`${C} at a time (warm)`, parallel);
  console.log(`throughput ${(N / seconds).toFixed(1)} letters/s`);

  const long: number[] = [];
  let bytes = 0;
  for (let i = 0; i < LONG; i++) {
    const r = await timed(letterFields({ body: thaiText(20000, i + 1), secrecy: 'secret' }));
    long.push(r.ms);
    bytes = r.bytes;
  }
  if (LONG) line('long letters (20,000 characters)', long);
  if (LONG) console.log(`long letter: ${bytes} bytes`);
  delay.disable();
  console.log(`event loop delay while rendering: p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`);
  await closeRenderer();
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
