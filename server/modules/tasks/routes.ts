// The task API: my inbox, a group's inbox, and claim / unclaim / delegate / reassign / complete / comment.
import { Api, idParam, paging } from '../../lib/route';
import { z } from '../../lib/openapi';
import { plausibleInstant } from '../../lib/date-fields';
import { forbidden } from '../../lib/errors';
import { HistoryEntry } from '../../db/models';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import { Task as TaskSchema, ProcessVariables } from '../workflow/schemas';
import { presentTask } from '../workflow/present';
import { FormFieldSchema } from '../workflow/forms';
import { disclosure } from '../documents/present';
import type { Task } from '../../db/models';
import * as svc from './service';

const TAG = 'Tasks';

const inboxQuery = z.object({
  processKey: z.string().max(128).optional(),
  urgency: z.coerce.number().int().min(1).max(4).optional().openapi({ type: 'integer' }),
  overdue: z.enum(['true', 'false']).optional(),
  dueBefore: plausibleInstant().optional(),
  q: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(['urgency', 'priority', 'due', 'created']).default('urgency').openapi({ description: 'urgency (default): ด่วนที่สุด first, then the nearest deadline (a ด่วนภายใน letter\'s own deadline counts), then the longest waiting' }),
  actingFor: z.coerce.number().int().positive().optional().openapi({ type: 'integer', description: 'only tasks that reached me through this position I act for (the capacity chosen in the header)' }),
  ...paging,
});

const TaskWithRights = TaskSchema.extend({
  formFields: z.array(FormFieldSchema),
  may: z.object({ claim: z.boolean(), unclaim: z.boolean(), complete: z.boolean(), delegate: z.boolean(), reassign: z.boolean() }),
  actingAs: z.object({ capacity: z.string(), positionId: z.number().int().nullable() }),
}).openapi('TaskDetail');

/** Tasks as this reader may see them (a title from a letter only to its readers). */
async function presented(actor: Actor, tasks: Task[]) {
  const disclose = await disclosure(actor, tasks);
  return tasks.map((t) => presentTask(t, disclose));
}
const presentedOne = async (actor: Actor, task: Task) => (await presented(actor, [task]))[0];

export function registerTaskRoutes(api: Api<Actor>, ctx: AppContext): void {
  const { db, runtime } = ctx;
  const page = z.object({ items: z.array(TaskSchema), total: z.number().int() });

  api.route({
    method: 'get', path: '/tasks', tag: TAG, summary: 'My inbox: assigned to me, to my groups, units and positions, and positions I act for',
    query: inboxQuery, response: page,
    handler: async ({ query, actor }) => {
      const { items, total } = await svc.inbox(db, actor, { ...query, overdue: query.overdue === 'true', scope: { kind: 'mine' } });
      return { items: await presented(actor, items), total };
    },
  });

  api.route({
    method: 'get', path: '/tasks/done', tag: TAG, summary: 'เรื่องที่ดำเนินการแล้ว: the tasks I completed, the latest first',
    query: z.object(paging), response: page,
    handler: async ({ query, actor }) => {
      const { items, total } = await svc.done(db, actor, query);
      return { items: await presented(actor, items), total };
    },
  });

  api.route({
    method: 'get', path: '/tasks/group', tag: TAG, summary: 'Unclaimed tasks of one of my groups, my unit or a position I hold or act for',
    query: inboxQuery.extend({ kind: z.enum(['group', 'unit', 'position']), id: z.coerce.number().int().positive().openapi({ type: 'integer' }) }),
    response: page,
    handler: async ({ query, actor }) => {
      const member = (query.kind === 'group' && actor.groupIds.includes(query.id)) || (query.kind === 'unit' && actor.unitId === query.id) || (query.kind === 'position' && actor.capacities.some((c) => c.positionId === query.id));
      if (!member) throw forbidden(`You do not belong to that ${query.kind}.`);
      const { items, total } = await svc.inbox(db, actor, { ...query, overdue: query.overdue === 'true', scope: { kind: query.kind, id: query.id } });
      return { items: await presented(actor, items), total };
    },
  });

  api.route({
    method: 'get', path: '/tasks/:id', tag: TAG, summary: 'A task with its form and what I may do with it', params: idParam, response: TaskWithRights,
    handler: async ({ params, actor }) => {
      const { task, access } = await svc.loadVisible(params.id, actor);
      const disclose = await disclosure(actor, [task]);
      // A step on a letter is completed only by a reader of it (service.ts): say so before the form is filled.
      const works = access.canWork && disclose(task);
      return {
        ...presentTask(task, disclose),
        formFields: task.formFields ? JSON.parse(task.formFields) : [],
        may: { claim: access.canClaim, unclaim: access.canUnclaim, complete: works, delegate: works && task.assigneeUserId === actor.userId, reassign: access.canReassign },
        actingAs: { capacity: access.capacity, positionId: access.positionId },
      };
    },
  });

  for (const [action, summary] of [['claim', 'Claim a task of my group'], ['unclaim', 'Give a claimed task back to the group']] as const) {
    api.route({
      method: 'post', path: `/tasks/:id/${action}`, tag: TAG, summary, params: idParam, response: TaskSchema,
      handler: async ({ params, actor }) => presentedOne(actor, await svc[action](db, params.id, actor)),
    });
  }

  const toUser = z.object({ userId: z.number().int().positive() }).strict();
  api.route({
    method: 'post', path: '/tasks/:id/delegate', tag: TAG, summary: 'Delegate my task to a colleague (I stay its owner)', params: idParam, body: toUser, response: TaskSchema,
    handler: async ({ params, body, actor }) => presentedOne(actor, await svc.delegate(db, params.id, actor, body.userId)),
  });
  api.route({
    method: 'post', path: '/tasks/:id/reassign', tag: TAG, summary: "Reassign a subordinate's task (supervisors and administrators)", params: idParam, body: toUser, response: TaskSchema,
    handler: async ({ params, body, actor }) => presentedOne(actor, await svc.reassign(db, params.id, actor, body.userId)),
  });

  api.route({
    method: 'post', path: '/tasks/:id/complete', tag: TAG, summary: 'Complete a task with its form values (409 if it is no longer open)', params: idParam,
    body: z.object({
      variables: ProcessVariables.default({}),
      comment: z.string().max(5000).optional(),
      actingPositionId: z.number().int().positive().optional().openapi({ description: 'The position I act for (when I hold several capacities).' }),
    }).strict(),
    response: z.object({ task: TaskSchema, next: z.array(TaskSchema), instanceStatus: z.string() }),
    handler: async ({ params, body, actor }) => {
      const { instance, createdTasks, task } = await svc.complete(runtime, params.id, actor, body);
      const [shown, ...next] = await presented(actor, [task, ...createdTasks]);
      return { task: shown, next, instanceStatus: instance.status };
    },
  });

  // Camunda 7's TaskService.handleBpmnError / handleEscalation: a boundary event on the task (or a
  // sub-process around it) takes the process on. Whoever may complete the task may throw.
  const variablesField = ProcessVariables.default({});
  const codeField = z.string().trim().min(1).max(255);
  const thrown = z.object({ task: TaskSchema, next: z.array(TaskSchema), instanceStatus: z.string(), caughtBy: z.string().nullable().openapi({ description: 'the boundary event that caught it' }), taskEnded: z.boolean() });
  for (const [kind, path, codeName, summary] of [
    ['error', 'bpmn-error', 'errorCode', 'End the task with a BPMN error (a boundary error event on it, or on a sub-process around it, catches the code; 422 lists the codes caught when none does)'],
    ['escalation', 'escalation', 'escalationCode', 'Raise an escalation from the task (a boundary escalation event catches the code; a non-interrupting one leaves the task open; 422 lists the codes caught when none does)'],
  ] as const) {
    api.route({
      method: 'post', path: `/tasks/:id/${path}`, tag: TAG, summary, params: idParam,
      body: z.object({
        [codeName]: codeField,
        ...(kind === 'error' ? { message: z.string().max(2000).optional() } : {}),
        variables: variablesField,
        actingPositionId: z.number().int().positive().optional().openapi({ description: 'The position I act for (when I hold several capacities).' }),
      }).strict(),
      response: thrown,
      handler: async ({ params, body, actor }) => {
        const b = body as { variables: Record<string, unknown>; message?: string; actingPositionId?: number } & Record<string, unknown>;
        const { instance, createdTasks, task, caughtBy, taskEnded } = await svc.throwFromTask(runtime, params.id, actor, { kind, code: String(b[codeName]), message: b.message, variables: b.variables, actingPositionId: b.actingPositionId });
        const [shown, ...next] = await presented(actor, [task, ...createdTasks]);
        return { task: shown, next, instanceStatus: instance.status, caughtBy, taskEnded };
      },
    });
  }

  api.route({
    method: 'post', path: '/tasks/:id/comments', tag: TAG, summary: 'Comment on a task', params: idParam,
    body: z.object({ text: z.string().trim().min(1).max(5000) }).strict(), status: 204,
    handler: async ({ params, body, actor }) => {
      await svc.comment(db, params.id, actor, body.text);
    },
  });
  api.route({
    method: 'get', path: '/tasks/:id/comments', tag: TAG, summary: 'Comments on a task', params: idParam,
    response: z.object({ items: z.array(z.object({ userId: z.number().int().nullable(), text: z.string().nullable().openapi({ description: 'null when the task is on a letter I may not read' }), at: z.string() })) }),
    handler: async ({ params, actor }) => {
      const { task } = await svc.loadVisible(params.id, actor);
      const shown = (await disclosure(actor, [task]))(task);
      const rows = await HistoryEntry.findAll({ where: { taskId: task.id, event: 'task.commented' }, order: [['id', 'ASC']] });
      return { items: rows.map((r) => ({ userId: r.userId, text: shown ? String(JSON.parse(r.detail ?? '{}').text ?? '') : null, at: r.at.toISOString() })) };
    },
  });
}
