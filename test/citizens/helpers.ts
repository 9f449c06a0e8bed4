// Shared pieces of the citizens' channel tests: an app of their own (a cheap proof of work, limits
// chosen per test: the suite's app keeps the defaults for the other tests), a solved challenge, a
// valid national ID and the form.
import request from 'supertest';
import type { Test } from 'supertest';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { createApp } from '../../server/app';
import type { Config } from '../../server/config';
import { testEnv } from '../helpers/env';

export function citizenApp(overrides: Partial<Config['citizens']> = {}) {
  const { ctx } = testEnv();
  const citizens = { ...ctx.config.citizens, powCost: 1, powCounterMin: 5, powCounterMax: 40, submitPerAddress: { max: 1000, windowMs: 3_600_000 }, trackPerAddress: { max: 1000, windowMs: 900_000 }, ...overrides };
  return createApp({ ...ctx, config: { ...ctx.config, citizens } });
}

/** What the widget puts in its hidden field: base64 JSON of the challenge and its solution. */
export async function solvedProof(app: ReturnType<typeof createApp>): Promise<string> {
  const res = await request(app).get('/api/public/challenge');
  if (res.status !== 200) throw new Error(`challenge: ${res.status} ${JSON.stringify(res.body)}`);
  const solution = await solveChallenge({ challenge: res.body, deriveKey });
  return Buffer.from(JSON.stringify({ challenge: res.body, solution })).toString('base64');
}

/** A valid 13-digit national ID (its check digit computed) from 12 digits. */
export function thaiId(first12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (13 - i);
  return first12 + String((11 - (sum % 11)) % 10);
}

let serial = 100000000;
/** A fresh valid ID each call: the per-ID limit counts by the number. */
export const freshId = () => thaiId(`1${String(serial++).padStart(11, '0')}`);

export const form = (extra: Record<string, string> = {}) => ({
  name: 'นางสาวสมศรี ใจดี', idNumber: freshId(), address: '99 หมู่ 1 ตำบลสุเทพ อำเภอเมือง จังหวัดเชียงใหม่ 50200', phone: '081-234-5678',
  email: 'somsri@example.com', subject: 'ขอให้ตรวจสอบน้ำประปาหมู่บ้านมีกลิ่น', body: 'น้ำประปาในหมู่บ้านมีกลิ่นและสีขุ่นมาสองสัปดาห์ ขอให้ตรวจสอบคุณภาพน้ำ', ...extra,
});

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** POSTs the form as multipart/form-data, with the proof when given and the files. */
export function submitForm(app: ReturnType<typeof createApp>, code: string, fields: Record<string, string>, proof?: string, files: Array<[Buffer, string]> = []): Test {
  let req = request(app).post(`/api/public/organisations/${encodeURIComponent(code)}/submissions`);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  if (proof !== undefined) req = req.field('altcha', proof);
  for (const [body, name] of files) req = req.attach('file', body, name);
  return req;
}
