// Search REST: Thai full-text search with filters and paging.
import { Api } from '../../lib/route';
import { z } from '../../lib/openapi';
import { plausibleDay } from '../../lib/date-fields';
import { DOCUMENT_TYPES, DIRECTIONS, URGENCIES, SECRECIES } from '../../db/models';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import { Document as DocumentSchema } from '../documents/schemas';
import { presentDocument, logSecretReads } from '../documents/service';
import { searchDocuments } from './service';

const isoDate = plausibleDay();

export function registerSearchRoutes(api: Api<Actor>, ctx: AppContext): void {
  const { sequelize } = ctx.db;
  api.route({
    method: 'get', path: '/search/documents', tag: 'Search',
    summary: 'Search documents: Thai words in subject, body, sender, addressee and letter number; filters; paging',
    query: z.object({
      q: z.string().trim().max(200).optional().openapi({ description: 'words, e.g. ประชุม คณะกรรมการ (all must occur)' }),
      letterNumber: z.string().trim().max(100).optional().openapi({ description: 'exact letter number, spacing and Thai digits ignored' }),
      type: z.enum(DOCUMENT_TYPES).optional(),
      direction: z.enum(DIRECTIONS).optional(),
      registerId: z.coerce.number().int().positive().optional().openapi({ type: 'integer' }),
      year: z.coerce.number().int().min(2500).max(2700).optional().openapi({ type: 'integer', description: 'B.E. register year' }),
      urgency: z.enum(URGENCIES).optional(),
      secrecy: z.enum(SECRECIES).optional(),
      from: isoDate.optional().openapi({ description: 'registered on or after (Bangkok date)' }),
      to: isoDate.optional().openapi({ description: 'registered on or before (Bangkok date)' }),
      unitId: z.coerce.number().int().positive().optional().openapi({ type: 'integer' }),
      limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ type: 'integer' }),
      offset: z.coerce.number().int().min(0).max(100000).default(0).openapi({ type: 'integer' }),
    }),
    response: z.object({ items: z.array(DocumentSchema), hasMore: z.boolean(), tokens: z.array(z.string()) }),
    handler: async ({ query, actor }) => {
      const result = await searchDocuments(sequelize, actor, query);
      await logSecretReads(sequelize, actor, result.items, 'search');
      return { items: result.items.map((d) => ({ ...presentDocument(d), body: null })), hasMore: result.hasMore, tokens: result.tokens };
    },
  });
}
