// Completing a step on a letter writes the decision and endorsement (เกษียน) onto the letter's
// chain, signed in the capacity the step was worked in (own post or ปฏิบัติราชการแทน).
// Order matters: the task is completed first (form checked, 409 if someone was faster), and only
// then is the endorsement appended; the other order could leave an endorsement on a letter for a
// decision that never happened. Both use the modules' own functions (tasks service, endorsements).
import { Api, idParam } from '../../lib/route';
import { z } from '../../lib/openapi';
import { unprocessable } from '../../lib/errors';
import { DECISIONS, Document } from '../../db/models';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import { Task as TaskSchema } from '../workflow/schemas';
import { presentTask } from '../workflow/present';
import { assertRead } from '../documents/policy';
import { addEndorsement, presentEndorsement } from '../documents/endorsements';
import { Endorsement as EndorsementSchema } from '../documents/schemas';
import { complete, loadVisible } from './service';

const Body = z
  .object({
    variables: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'Variable names start with a letter; letters, digits and _ only.'), z.unknown()).default({}),
    comment: z.string().max(5000).optional(),
    endorsement: z
      .object({
        text: z.string().trim().max(20000).optional(),
        decision: z.enum(DECISIONS).optional(),
        assignTo: z.string().trim().max(255).optional(),
      })
      .strict()
      .refine((e) => e.text || e.decision, { message: 'write a text or a decision (or both)' })
      .refine((e) => e.decision !== 'assign' || !!e.assignTo, { message: 'assign (มอบ) needs assignTo', path: ['assignTo'] }),
  })
  .strict();

export function registerEndorsedCompletionRoutes(api: Api<Actor>, ctx: AppContext): void {
  api.route({
    method: 'post', path: '/tasks/:id/complete-with-endorsement', tag: 'Tasks',
    summary: "Complete a step on a letter and append my decision and endorsement to the letter's chain (in the capacity I worked the step)",
    params: idParam, body: Body,
    response: z.object({ task: TaskSchema, next: z.array(TaskSchema), instanceStatus: z.string(), endorsement: EndorsementSchema }),
    handler: async ({ params, body, actor }) => {
      const { task, access } = await loadVisible(params.id, actor);
      if (task.documentId == null) throw unprocessable('This task is not about a letter; complete it with POST /tasks/:id/complete.');
      const doc = await assertRead(actor, await Document.findByPk(task.documentId));
      const { instance, createdTasks, task: done } = await complete(ctx.runtime, params.id, actor, { variables: body.variables, comment: body.comment });
      const endorsement = await addEndorsement(ctx.db.sequelize, actor, doc, { ...body.endorsement, capacity: access.capacity, positionId: access.positionId ?? undefined });
      return { task: presentTask(done), next: createdTasks.map((t) => presentTask(t)), instanceStatus: instance.status, endorsement: presentEndorsement(endorsement) };
    },
  });
}
