// Benchmark: signing and verifying letters as the server does it, in one process on SQLite.
//
//   node --require tsx/cjs bench/signing.ts [count=30]
//
// A two-page Thai letter printed by Chromium is signed `count` times (fresh grant, PIN check with
// argon2id, visible block rendered by a warm test Chromium, RFC 3161 token from a local openssl TSA,
// PAdES B-LT in the worker pool), then each signed file is verified. Prints p50/p95/max of sign,
// of sign without the visible block, and of verify, and the event loop's longest delay meanwhile.
// Then, as the ลงนาม step does it with the product's pool: a letter drawn from its fields (PDF/A,
// its signature space found) and signed with the block fitted in that space — render, sign and
// the two together (the issue's goal: render + sign < 1 s p95).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../server/config';
import { prepare } from '../server/bootstrap';
import { loadActor } from '../server/modules/auth/actor';
import { setAppearanceRenderer } from '../server/modules/signatures/appearance';
import { issueCredential, issueSigningGrant, setPin } from '../server/modules/signatures/credentials';
import { closeSignaturePool } from '../server/modules/signatures/jobs';
import { signPdf, verifyUpload } from '../server/modules/signatures/service';
import { User } from '../server/db/models';
import { createThrowawayDatabase } from '../test/helpers/databases';
import { closeBrowser, renderHtmlToPdf, startTsa, thaiLetterPdf } from '../test/signatures/tools';
import { closeRenderer, renderHtmlToPdf as productRenderHtmlToPdf, renderLetterPdf } from '../server/modules/letters/render';
import { issuer, letterFields } from '../test/letters/helpers';

const COUNT = Number(process.argv[2] ?? 30);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const line = (label: string, xs: number[]) => console.log(`${label.padEnd(34)} p50 ${pct(xs, 50).toFixed(0).padStart(5)} ms   p95 ${pct(xs, 95).toFixed(0).padStart(5)} ms   max ${Math.max(...xs).toFixed(0).padStart(5)} ms`);

async function main(): Promise<void> {
  process.env.SIGNING_KEY_SECRET ??= 'bench-signing-master-key-0123456789abcdef';
  const database = await createThrowawayDatabase('sqlite', 'bench');
  const tsa = await startTsa();
  process.env.TSA_URL = tsa.url;
  try {
    const ctx = await prepare(loadConfig({ databaseUrl: database.url, jwtSecret: 'bench-secret-0123456789abcdef0123456789', seedDemo: true }));
    const director = (await User.findOne({ where: { username: 'director' } }))!;
    const actor = (await loadActor(director.id))!;
    await setPin(ctx, actor, '246810');
    await issueCredential(ctx, actor, '246810');
    const letter = await thaiLetterPdf();
    setAppearanceRenderer(renderHtmlToPdf);
    const { signingGrant } = await issueSigningGrant(ctx, actor, 'saraban-demo');
    // Warm: Chromium page, worker threads, TSA.
    for (let i = 0; i < 3; i++) await signPdf(ctx, actor, { pdf: letter, pin: '246810', signingGrant });

    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const sign: number[] = [];
    const invisible: number[] = [];
    const verify: number[] = [];
    const signed: Buffer[] = [];
    for (let i = 0; i < COUNT; i++) {
      let t = performance.now();
      const r = await signPdf(ctx, actor, { pdf: letter, pin: '246810', signingGrant });
      sign.push(performance.now() - t);
      signed.push(r.pdf);
      t = performance.now();
      await signPdf(ctx, actor, { pdf: letter, pin: '246810', signingGrant, placement: 'invisible' });
      invisible.push(performance.now() - t);
    }
    for (const pdf of signed) {
      const t = performance.now();
      const report = await verifyUpload(ctx, pdf);
      verify.push(performance.now() - t);
      if (report.signatures[0]?.status !== 'valid') throw new Error(`a signed letter did not verify: ${JSON.stringify(report.signatures[0]?.problems)}`);
    }
    loop.disable();
    console.log(`letter ${letter.length} bytes, 2 pages; signed ${signed[0].length} bytes (B-LT, visible block); ${COUNT} of each`);
    line('sign (PIN, block, TSA, B-LT)', sign);
    line('sign without the visible block', invisible);
    line('verify (chain, CRL, time-stamp)', verify);
    console.log(`event loop delay meanwhile: p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms, max ${(loop.max / 1e6).toFixed(0)} ms`);

    // The ลงนาม step's path: the product's pool draws the letter and the block; the block goes in the signature space.
    setAppearanceRenderer((html) => productRenderHtmlToPdf(html));
    const draw = () => renderLetterPdf(letterFields({ letterNumber: 'สธ 0201/1', signerName: 'นายสมชาย ใจดี' }), issuer, { signature: { mode: 'digital' } });
    for (let i = 0; i < 3; i++) {
      const warm = await draw();
      await signPdf(ctx, actor, { pdf: warm.pdf, pin: '246810', signingGrant, space: warm.signatureSpace });
    }
    const render: number[] = [];
    const signInSpace: number[] = [];
    const both: number[] = [];
    for (let i = 0; i < COUNT; i++) {
      const t0 = performance.now();
      const drawn = await draw();
      const t1 = performance.now();
      if (!drawn.signatureSpace) throw new Error('the letter has no signature space');
      await signPdf(ctx, actor, { pdf: drawn.pdf, pin: '246810', signingGrant, space: drawn.signatureSpace });
      const t2 = performance.now();
      render.push(t1 - t0);
      signInSpace.push(t2 - t1);
      both.push(t2 - t0);
    }
    line('letter render (product pool)', render);
    line('sign into the signature space', signInSpace);
    line('render + sign (the ลงนาม step)', both);
    await closeRenderer();
    await ctx.db.close();
  } finally {
    setAppearanceRenderer(undefined);
    await closeSignaturePool();
    await closeBrowser();
    await tsa.close();
    await database.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
