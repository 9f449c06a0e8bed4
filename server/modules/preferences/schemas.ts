// Saved inbox filters: the same filters and sort the inbox sends to GET /tasks, plus which tab.
import { z } from '../../lib/openapi';

export const InboxFilters = z
  .object({
    tab: z.enum(['mine', 'group']).default('mine'),
    q: z.string().trim().max(200).optional(),
    urgency: z.number().int().min(1).max(4).optional(),
    overdue: z.boolean().optional(),
    sort: z.enum(['priority', 'due', 'created']).optional(),
    /** The group tab's scope, e.g. `group:3`, `unit:5`, `position:7`. */
    scope: z.string().regex(/^(group|unit|position):\d+$/, 'kind:id, e.g. group:3').optional(),
  })
  .strict()
  .openapi('InboxFilters');

export const SavedFilterCreate = z.object({ name: z.string().trim().min(1).max(100), filters: InboxFilters }).strict().openapi('SavedFilterCreate');

export const SavedFilter = z
  .object({ id: z.number().int(), name: z.string(), filters: InboxFilters, createdAt: z.string() })
  .openapi('SavedFilter');
