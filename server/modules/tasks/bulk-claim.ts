// Claiming several group tasks at once (POST /tasks/claim). Each claim is its own change through
// the one claim in service.ts: one that someone else took meanwhile does not undo the others, and
// the answer says per task what happened.
import { Api } from '../../lib/route';
import { z } from '../../lib/openapi';
import { AppError } from '../../lib/errors';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import { Task as TaskSchema } from '../workflow/schemas';
import { presentTask } from '../workflow/present';
import { disclosure } from '../documents/present';
import { claim } from './service';

/** claimed: now mine; taken: someone else claimed or finished it first; refused: not mine to claim; not_found: no such task. */
const OUTCOME = { 409: 'taken', 403: 'refused', 404: 'not_found' } as const;

const ClaimResult = z
  .object({
    id: z.number().int(),
    outcome: z.enum(['claimed', 'taken', 'refused', 'not_found']),
    message: z.string().nullable(),
    task: TaskSchema.nullable(),
  })
  .openapi('ClaimResult');

export function registerBulkClaimRoutes(api: Api<Actor>, ctx: AppContext): void {
  api.route({
    method: 'post', path: '/tasks/claim', tag: 'Tasks', summary: 'Claim several tasks of my groups; each claim succeeds or fails on its own',
    body: z.object({ ids: z.array(z.number().int().positive()).min(1).max(100) }).strict(),
    response: z.object({ results: z.array(ClaimResult) }),
    handler: async ({ body, actor }) => {
      const results: Array<z.infer<typeof ClaimResult>> = [];
      for (const id of [...new Set(body.ids)]) {
        try {
          const task = await claim(ctx.db, id, actor);
          results.push({ id, outcome: 'claimed', message: null, task: presentTask(task, await disclosure(actor, [task])) });
        } catch (err) {
          const outcome = err instanceof AppError ? OUTCOME[err.status as keyof typeof OUTCOME] : undefined;
          if (!outcome) throw err;
          results.push({ id, outcome, message: (err as AppError).message, task: null });
        }
      }
      return { results };
    },
  });
}
