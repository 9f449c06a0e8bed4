// Registers REST: the books of the organisation, registering (numbers), voiding, listing.
import { Api, idParam } from '../../lib/route';
import { z } from '../../lib/openapi';
import { ENTRY_DIRECTIONS, REGISTER_KINDS } from '../../db/models';
import { buddhistYear } from '../../lib/thai-date';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import { presentDocument, logSecretReads } from '../documents/service';
import { Document as DocumentSchema } from '../documents/schemas';
import * as svc from './service';
import { registerRows, streamCsv, toHtml } from './export';
import { startIncomingRouting } from '../workflow/routing';

const TAG = 'Registers';

const Register = z
  .object({ id: z.number(), organisationId: z.number(), unitId: z.number().nullable(), kind: z.enum(REGISTER_KINDS), nameTh: z.string(), active: z.boolean() })
  .openapi('Register', { description: 'kind secret: the secret register (ทะเบียนหนังสือลับ), listed only for the secrets custodian' });
const Entry = z
  .object({
    id: z.number(), registerId: z.number(), year: z.number(), number: z.number(), direction: z.enum(ENTRY_DIRECTIONS), documentId: z.number().nullable(), status: z.string(), letterNumber: z.string().nullable(),
    idempotencyKey: z.string().nullable(), note: z.string().nullable(), registeredAt: z.string(), dateTh: z.string(), timeTh: z.string(), voidedAt: z.string().nullable(), voidReason: z.string().nullable(),
  })
  .openapi('RegisterEntry');
const Row = z
  .object({
    number: z.number(), registeredDate: z.string(), registeredTime: z.string(), letterNumber: z.string(), letterDate: z.string(), from: z.string(), to: z.string(),
    subject: z.string(), action: z.string(), remarks: z.string(), direction: z.string(), secrecy: z.string(),
  })
  .openapi('RegisterRow', { description: "the regulation's columns: ที่, ลงวันที่, จาก, ถึง, เรื่อง, การปฏิบัติ, หมายเหตุ; the secret register adds รับ/ส่ง (direction) and ชั้นความลับ (secrecy)" });
const RegistrationBody = z
  .object({
    documentId: z.number().int().positive().optional().openapi({ description: 'the document to number; without it the number is reserved (จองเลข)' }),
    direction: z.enum(ENTRY_DIRECTIONS).optional().openapi({ description: 'only for a reservation in the secret register: incoming (รับ) or outgoing (ส่ง, the default)' }),
    idempotencyKey: z.string().trim().min(8).max(100).optional().openapi({ description: 'send the same key when retrying: you get the same number back' }),
    note: z.string().trim().max(500).optional(),
  })
  .openapi('Registration');
const RegistrationResult = z.object({ entry: Entry, document: DocumentSchema.nullable(), replayed: z.boolean() }).openapi('RegistrationResult');
const yearQuery = z.object({
  year: z.coerce.number().int().min(2500).max(2700).optional().openapi({ type: 'integer', description: 'B.E. year; the current one by default' }),
  limit: z.coerce.number().int().min(1).max(1000).default(200).openapi({ type: 'integer' }),
  offset: z.coerce.number().int().min(0).default(0).openapi({ type: 'integer' }),
  fromNumber: z.coerce.number().int().min(1).optional().openapi({ type: 'integer', description: 'start at this running number (fast paging)' }),
});

export function registerRegisterRoutes(api: Api<Actor>, ctx: AppContext): void {
  const { sequelize } = ctx.db;

  api.route({
    method: 'get', path: '/registers', tag: TAG, summary: 'The registers of your organisation (and of units that keep their own book)', response: z.object({ items: z.array(Register) }),
    handler: async ({ actor }) => ({ items: (await svc.visibleRegisters(sequelize, actor)).map(svc.presentRegister) }),
  });

  api.route({
    method: 'post', path: '/registers/:id/entries', tag: TAG, summary: 'Register: take the next running number (a document, or a reservation)',
    params: idParam, body: RegistrationBody, status: 201, response: RegistrationResult,
    handler: async ({ params, body, actor, res }) => {
      const result = await svc.register(sequelize, actor, params.id, body, (t, doc) => startIncomingRouting(ctx.runtime, t, actor, doc));
      if (result.replayed) res.set('Idempotent-Replayed', 'true');
      return { entry: svc.presentEntry(result.entry), document: result.document ? presentDocument(result.document, await svc.findRegister(actor, params.id)) : null, replayed: result.replayed };
    },
  });

  api.route({
    method: 'get', path: '/registers/:id/entries', tag: TAG, summary: 'The entries of a register for a B.E. year, in number order',
    params: idParam, query: yearQuery,
    response: z.object({ year: z.number(), items: z.array(Entry.extend({ subject: z.string().nullable(), hidden: z.boolean(), row: Row })) }),
    handler: async ({ params, query, actor }) => {
      const reg = await svc.findRegister(actor, params.id);
      const year = query.year ?? buddhistYear(new Date());
      const entries = await svc.listEntries(reg.id, year, query);
      // The regulation's columns, worked out as the export does; a secret letter's line stays in
      // the book, but its subject only shows to those who may read it.
      const { rows, secretDocs, docs } = await registerRows(actor, reg, year, entries, 'short');
      const readable = new Set(secretDocs.map((d) => d.id));
      // Showing a secret letter's subject is a read of it, as in search and the export.
      await logSecretReads(sequelize, actor, secretDocs, `register ${reg.id} entries`);
      const items = entries.map((e, i) => {
        const doc = e.documentId ? docs.get(e.documentId) : undefined;
        const hidden = !!doc && doc.secrecy !== 'normal' && !readable.has(doc.id);
        return { ...svc.presentEntry(e), subject: doc && !hidden ? doc.subject : null, hidden, row: rows[i] };
      });
      return { year, items };
    },
  });

  api.route({
    method: 'post', path: '/register-entries/:id/void', tag: TAG, summary: 'Void a number (it stays in the register as voided, never reused)',
    params: idParam, body: z.object({ reason: z.string().trim().min(3).max(500) }), response: Entry,
    handler: async ({ params, body, actor }) => svc.presentEntry(await svc.voidEntry(sequelize, actor, params.id, body.reason)),
  });

  api.route({
    method: 'get', path: '/register-entries/:id', tag: TAG, summary: 'One register entry', params: idParam, response: Entry,
    handler: async ({ params, actor }) => svc.presentEntry((await svc.findEntryById(actor, params.id)).entry),
  });

  const exportQuery = z.object({ year: z.coerce.number().int().min(2500).max(2700).openapi({ type: 'integer', description: 'B.E. year, e.g. 2568' }) });
  for (const format of ['csv', 'html'] as const) {
    api.route({
      method: 'get', path: `/registers/:id/export.${format}`, tag: TAG,
      summary: format === 'csv' ? 'The register of a B.E. year as CSV (UTF-8)' : 'The register of a B.E. year as a printable page',
      params: idParam, query: exportQuery,
      handler: async ({ params, query, actor, res }) => {
        const reg = await svc.findRegister(actor, params.id);
        const filename = `register-${reg.id}-${query.year}.${format}`;
        if (format === 'csv') {
          // Streamed in batches (export.ts); each batch's secret letters are logged as read before it is sent.
          await streamCsv(actor, reg, query.year, res, {
            start: () => {
              res.setHeader('Content-Type', 'text/csv; charset=utf-8');
              res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
            },
            shown: (secretDocs) => logSecretReads(sequelize, actor, secretDocs, `register ${reg.id} export`),
          });
          return undefined;
        }
        const { title, columns, rows, secretDocs } = await registerRows(actor, reg, query.year);
        await logSecretReads(sequelize, actor, secretDocs, `register ${reg.id} export`);
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.send(toHtml(title, reg.kind, columns, rows));
        return undefined;
      },
    });
  }
}
