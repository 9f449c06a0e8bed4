// Issue 12, item 5: word segmentation never stalls the server. ICU segments a long string in
// time that grows faster than its length (a 120,000-character body took 9 s on the event loop),
// so texts are segmented in pieces, and long ones on a worker thread before the transaction.
import { expect } from 'chai';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { WorkerPool } from '../../server/lib/worker-pool';
import { api } from '../helpers/factories';
import { normaliseText, segmentation, tokenize, tokenizeTexts } from '../../server/modules/search/tokens';
import { thaiText } from '../helpers/thai-text';
import { as, incomingLetter } from './helpers';

/** Tokens as they were before: the whole text given to Intl.Segmenter at once (fine below ~40,000 characters). */
function tokenizeWhole(text: string): string[] {
  const out = new Set<string>();
  for (const s of new Intl.Segmenter('th', { granularity: 'word' }).segment(normaliseText(text))) {
    if (!s.isWordLike) continue;
    for (const part of s.segment.trim().split(/(?<=\p{L})(?=\d)|(?<=\d)(?=\p{L})/u)) if (part) out.add(part.slice(0, 64));
  }
  return [...out];
}

describe('word segmentation never stalls the server', () => {
  it('gives the tokens segmenting the whole text at once gives (spaced, new lines, and runs of unspaced Thai)', () => {
    for (const seed of [1, 2, 3]) {
      const text = thaiText(30000, seed);
      expect(tokenize(text)).to.deep.equal(tokenizeWhole(text));
    }
    const unspaced = thaiText(30000, 4).replace(/\s+/g, '');
    expect(tokenize(unspaced)).to.deep.equal(tokenizeWhole(unspaced));
  });

  it('segments the longest body allowed (200,000 characters) through to its last word', () => {
    const tokens = tokenize(`${thaiText(199990)} ปัจฉิมลิขิต`);
    expect(tokens).to.include.members(['ปัจฉิมลิขิต', 'ตาม', 'สารบรรณ']);
  });

  it('keeps the event loop turning while 200,000 characters are segmented, on a worker thread', async () => {
    let ticks = 0;
    let spinning = true;
    const spin = () => { ticks++; if (spinning) setImmediate(spin); };
    setImmediate(spin);
    const [tokens] = await tokenizeTexts([thaiText(200000)]);
    spinning = false;
    expect(tokens).to.include.members(['ตาม', 'สารบรรณ']);
    expect(segmentation.lastThreadId, 'segmented on a worker thread').to.be.above(0).and.not.equal(threadId);
    expect(ticks, 'event loop turns while the worker segments').to.be.above(0);
  });

  it('indexes a long letter segmented on a worker thread, on creation and on edit, and finds it by its last words', async () => {
    const clerk = (await as('clerk')).auth;
    // 20,000 Thai characters: long enough for the worker, short enough for a TEXT column on MariaDB.
    const created = await api().post('/api/documents').set(clerk).send(incomingLetter({ letterNumber: 'นร 0105/9901', body: `${thaiText(19980)} ปัจฉิมลิขิตพิเศษ` }));
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(segmentation.lastThreadId, 'segmented on a worker thread').to.be.above(0).and.not.equal(threadId);
    const found = async (q: string) => (await api().get('/api/search/documents').query({ q, limit: 100 }).set(clerk)).body.items.map((d: { id: number }) => d.id);
    expect(await found('ปัจฉิมลิขิต')).to.include(created.body.id);

    segmentation.lastThreadId = 0;
    const edited = await api().patch(`/api/documents/${created.body.id}`).set(clerk).send({ version: 1, body: `${thaiText(19980, 9)} บันทึกต่อท้ายฉบับแก้ไข` });
    expect(edited.status, JSON.stringify(edited.body)).to.equal(200);
    expect(segmentation.lastThreadId, 'segmented on a worker thread').to.be.above(0).and.not.equal(threadId);
    expect(await found('ต่อท้าย')).to.include(created.body.id);
    expect(await found('ปัจฉิมลิขิต')).not.to.include(created.body.id);
  });

  it('refuses a job that fails in a worker with its error, and keeps serving the next', async () => {
    const pool = new WorkerPool<{ texts: unknown }, { tokens: string[][] }>(path.resolve(__dirname, '../../server/modules/search/segment-worker'), 1);
    try {
      const failed = await pool.run({ texts: null }).then(() => null, (err: Error) => err);
      expect(failed?.message).to.match(/null/);
      expect((await pool.run({ texts: ['ขอเชิญประชุม'] })).tokens).to.deep.equal([['ขอ', 'เชิญ', 'ประชุม']]);
    } finally {
      await pool.close();
    }
  });
});
