// Process definitions (deploy, validate, versions), instances, messages, history and incidents.
import { Op } from 'sequelize';
import { Api, idParam, paging } from '../../lib/route';
import { z } from '../../lib/openapi';
import { conflict, forbidden, notFound, unprocessable } from '../../lib/errors';
import { writeTransaction } from '../../lib/transaction';
import { HistoryEntry, Incident, ProcessDefinition, ProcessInstance, Task, WorkflowJob } from '../../db/models';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import * as S from './schemas';
import { activate, activeDefinition, assertMayStart, assertNewProcessKey, deploy, findVersion, validateBpmn, visibleDefinitions } from './definitions';
import { assertAdministerInstance, assertDesigner, assertReadInstance } from './policy';
import { presentHistory, presentIncident, presentInstance, presentTask } from './present';
import { circulate, documentVariables, routeOfDocument, stepNames } from './routing';
import { compareVersions, VersionComparison } from './compare';
import { deliverMessage, messageElementsOf, MessageWait, storedMessageWaits } from './messages';
import { FORM_INVALID, formDefaults, FormField, FormFieldSchema, startFormOf as startFormIn, validateFormVariables } from './forms';
import { forward, ForwardBody, ForwardResult, FORWARD_KEY } from './forwarding';
import { Document } from '../../db/models';
import { assertClerk, assertNoDocumentVariables, assertRead as assertReadDocument, readableDocument } from '../documents/policy';
import { disclosure } from '../documents/present';
import { RouteSending } from '../deliveries/schemas';
import { presentSending } from '../deliveries/present';
import { logSecretDeliveryReads, ofDocument as deliveriesOfDocument } from '../deliveries/service';

const TAG = 'Workflow';

export function registerWorkflowRoutes(api: Api<Actor>, ctx: AppContext): void {
  const { db, runtime } = ctx;

  api.route({
    method: 'post', path: '/workflow/definitions/validate', tag: TAG, summary: 'Validate BPMN without deploying it (422 lists { elementId, message })',
    body: S.BpmnBody, response: S.ValidationResult,
    handler: async ({ body, actor }) => {
      assertDesigner(actor);
      const parsed = await validateBpmn(body.xml);
      if (body.newProcess) await assertNewProcessKey(actor.organisationId, parsed.key);
      return { valid: true as const, key: parsed.key, name: parsed.name, warnings: parsed.warnings };
    },
  });

  api.route({
    method: 'post', path: '/workflow/definitions', tag: TAG, summary: 'Deploy BPMN as the next version of its process key in my organisation',
    body: S.BpmnBody, status: 201, response: S.DeployResult,
    handler: async ({ body, actor }) => {
      assertDesigner(actor);
      const d = await deploy(db, { organisationId: actor.organisationId, xml: body.xml, deployedById: actor.userId, activate: body.activate, newProcess: body.newProcess });
      return { id: d.id, key: d.key, name: d.name, version: d.version, isActive: d.isActive, organisationId: d.organisationId, warnings: d.warnings };
    },
  });

  api.route({
    method: 'get', path: '/workflow/definitions', tag: TAG, summary: 'Processes my organisation can run, with their versions',
    response: z.object({ items: z.array(S.DefinitionSummary.extend({
      startTimerFailures: z.array(z.object({ elementId: z.string(), version: z.number().int(), attempts: z.number().int(), lastError: z.string().nullable(), failedAt: z.string() })).optional()
        .openapi({ description: 'Designers and administrators: timer start events that gave up after three attempts to start an instance (activate the version again to reschedule them).' }),
    })) }),
    handler: async ({ actor }) => ({ items: await visibleDefinitions(actor.organisationId, actor.roles.has('process_designer') || actor.roles.has('system_admin') ? undefined : actor) }),
  });

  api.route({
    method: 'get', path: '/workflow/definitions/:key/versions/:version/xml', tag: TAG, summary: 'Download the BPMN XML of a version',
    params: S.keyVersionParams,
    handler: async ({ params, actor, res }) => {
      const d = await findVersion(actor.organisationId, params.key, params.version);
      res.type('application/xml').send(d.xml);
    },
  });

  api.route({
    method: 'get', path: '/workflow/definitions/:key/compare', tag: TAG, summary: 'What changed between two versions: elements added, removed and changed (name, performers, conditions, timers, forms)',
    params: z.object({ key: z.string().min(1).max(128) }),
    query: z.object({ from: z.coerce.number().int().positive().openapi({ type: 'integer' }), to: z.coerce.number().int().positive().openapi({ type: 'integer' }) }),
    response: VersionComparison,
    handler: async ({ params, query, actor }) => {
      const [from, to] = await Promise.all([findVersion(actor.organisationId, params.key, query.from), findVersion(actor.organisationId, params.key, query.to)]);
      return compareVersions(params.key, from, to);
    },
  });

  api.route({
    method: 'post', path: '/workflow/definitions/:key/versions/:version/activate', tag: TAG, summary: 'Make this version the one new instances use',
    params: S.keyVersionParams, response: S.Deployed,
    handler: async ({ params, actor }) => {
      assertDesigner(actor);
      const d = await findVersion(actor.organisationId, params.key, params.version);
      if (d.organisationId !== actor.organisationId) throw forbidden("This version belongs to a parent organisation; deploy your own version to change it.");
      await activate(db, d);
      return { id: d.id, key: d.key, name: d.name, version: d.version, isActive: true, organisationId: d.organisationId };
    },
  });

  // A version never changes: its start form is read once.
  const startForms = new Map<number, { formKey: string | null; fields: FormField[] }>();
  const startFormOf = async (definition: ProcessDefinition) => {
    let form = startForms.get(definition.id);
    if (!form) {
      const row = await ProcessDefinition.findByPk(definition.id, { attributes: ['id', 'key', 'sourceContext'] });
      form = row ? startFormIn(row.sourceContext, row.key) : { formKey: null, fields: [] };
      startForms.set(definition.id, form);
    }
    return form;
  };

  api.route({
    method: 'get', path: '/workflow/definitions/:key/start-form', tag: TAG, summary: "The form of the active version's start event (camunda:formData), to fill before POST /workflow/instances",
    params: z.object({ key: z.string().min(1).max(128) }),
    response: z.object({ key: z.string(), version: z.number().int(), formKey: z.string().nullable(), fields: z.array(FormFieldSchema) }).openapi('StartForm'),
    handler: async ({ params, actor }) => {
      const definition = await activeDefinition(actor.organisationId, params.key);
      const form = await startFormOf(definition);
      return { key: definition.key, version: definition.version, ...form };
    },
  });

  api.route({
    method: 'post', path: '/workflow/instances', tag: TAG, summary: 'Start a process (optionally for a document)',
    body: S.StartInstanceBody, status: 201, response: z.object({ instance: S.Instance, tasks: z.array(S.Task) }),
    handler: async ({ body, actor }) => {
      // Destruction is started only from an approved destruction list, where its inputs are checked.
      if (body.processKey === 'document_destruction') throw forbidden('Start a destruction from the destruction list (POST /api/retention/destruction-list/approve).');
      if (body.processKey === FORWARD_KEY) throw forbidden('Forward a letter with POST /api/documents/:id/forward, where the recipient is checked.');
      // A process for a letter writes into it (endorsements, its route): only for a letter the starter may read.
      const doc = body.documentId === undefined ? null : await readableDocument(actor, body.documentId);
      assertNoDocumentVariables(body.variables, doc !== null);
      const definition = await activeDefinition(actor.organisationId, body.processKey);
      await assertMayStart(actor, definition); // camunda:candidateStarterGroups / candidateStarterUsers
      // The start event's form (camunda:formData) is validated as a task's is, then its defaults applied.
      const { fields } = await startFormOf(definition);
      const submitted = body.variables ?? {};
      const checked = validateFormVariables(fields, submitted);
      if (!checked.ok) throw unprocessable(FORM_INVALID, checked.details);
      const own = actor.capacities.find((c) => c.capacity === 'self');
      const { instance, createdTasks } = await runtime.start({
        definition, organisationId: actor.organisationId, starter: { userId: actor.userId, positionId: own?.positionId ?? null, capacity: 'self' },
        starterUsername: actor.user.username, variables: { ...formDefaults(fields, submitted, submitted), ...submitted, ...(doc ? { document: documentVariables(doc) } : {}) }, documentId: doc ? Number(doc.id) : null, businessKey: body.businessKey ?? null,
      });
      const disclose = await disclosure(actor, [instance]);
      return { instance: presentInstance(instance), tasks: createdTasks.map((t) => presentTask(t, disclose)) };
    },
  });

  api.route({
    method: 'get', path: '/workflow/instances', tag: TAG, summary: "My organisation's instances (managers) or the ones I started",
    query: z.object({ processKey: z.string().max(128).optional(), status: z.enum(['running', 'completed', 'cancelled', 'failed']).optional(), documentId: z.coerce.number().int().positive().optional(), ...paging }),
    response: z.object({ items: z.array(S.Instance), total: z.number().int() }),
    handler: async ({ query, actor }) => {
      const where: Record<string | symbol, unknown> = { organisationId: actor.organisationId };
      if (!(actor.roles.has('system_admin') || actor.roles.has('executive') || actor.roles.has('process_designer'))) where.startedById = actor.userId;
      if (query.processKey) where.processKey = query.processKey;
      if (query.status) where.status = query.status;
      if (query.documentId) where.documentId = query.documentId;
      const { rows, count } = await ProcessInstance.findAndCountAll({ where, attributes: { exclude: ['state'] }, order: [['id', 'DESC']], limit: query.limit, offset: query.offset });
      return { items: rows.map(presentInstance), total: count };
    },
  });

  const loadInstance = async (id: number, actor: Actor) => {
    const instance = await ProcessInstance.findByPk(id, { attributes: { exclude: ['state'] } });
    if (!instance) throw notFound('Process instance');
    await assertReadInstance(actor, instance);
    return instance;
  };

  // Which elements of a version wait for a message: read once per version (versions never change).
  const messageElements = new Map<number, Set<string>>();
  const messageWaitsOf = async (instance: ProcessInstance) => {
    let expecting = messageElements.get(instance.definitionId);
    if (!expecting) {
      const definition = await ProcessDefinition.findByPk(instance.definitionId, { attributes: ['id', 'sourceContext'] });
      expecting = definition ? messageElementsOf(definition.sourceContext) : new Set<string>();
      messageElements.set(instance.definitionId, expecting);
    }
    if (!expecting.size) return [];
    const row = await ProcessInstance.findByPk(instance.id, { attributes: ['id', 'state'] });
    return storedMessageWaits(row?.state, expecting);
  };

  api.route({
    method: 'get', path: '/workflow/instances/:id', tag: TAG, summary: 'An instance with its tasks and incidents', params: idParam,
    response: z.object({ instance: S.Instance, tasks: z.array(S.Task), incidents: z.array(S.IncidentSchema), activeElementIds: z.array(z.string()) }),
    handler: async ({ params, actor }) => {
      const instance = await loadInstance(params.id, actor);
      const tasks = await Task.findAll({ where: { instanceId: instance.id }, order: [['id', 'ASC']] });
      const incidents = await Incident.findAll({ where: { instanceId: instance.id }, order: [['id', 'ASC']] });
      const jobs = await WorkflowJob.findAll({ where: { instanceId: instance.id, status: { [Op.in]: ['pending', 'running', 'failed'] } } });
      // Message waits have no row: read from the stored state (a message start event, a catch, a receive task).
      const waiting = instance.status === 'running' ? await messageWaitsOf(instance) : [];
      const active = [...new Set([...tasks.filter((t) => t.status === 'open').map((t) => t.elementId), ...jobs.map((j) => j.elementId), ...waiting])];
      const disclose = await disclosure(actor, [instance]);
      return { instance: presentInstance(instance), tasks: tasks.map((t) => presentTask(t, disclose)), incidents: incidents.map(presentIncident), activeElementIds: active };
    },
  });

  api.route({
    method: 'get', path: '/workflow/instances/:id/history', tag: TAG, summary: 'Who did what when: every activity and task event of an instance', params: idParam,
    response: z.object({ items: z.array(S.HistoryItem) }),
    handler: async ({ params, actor }) => {
      const instance = await loadInstance(params.id, actor);
      const names = await stepNames(instance.definitionId);
      const rows = await HistoryEntry.findAll({ where: { instanceId: instance.id }, order: [['id', 'ASC']] });
      const shown = (await disclosure(actor, [instance]))(instance);
      return { items: rows.map((h) => ({ ...presentHistory(h, shown), name: h.elementId ? (names.get(h.elementId) ?? null) : null })) };
    },
  });

  api.route({
    method: 'post', path: '/workflow/instances/:id/messages', tag: TAG,
    summary: 'Deliver a message (a reply from outside) to an instance waiting for it, by the message name (as Camunda correlates) or its id; 409 lists what the instance waits for',
    params: idParam,
    body: z.object({
      messageName: z.string().min(1).max(255).optional().openapi({ description: 'the name of the bpmn:message (Camunda correlation)' }),
      messageId: z.string().min(1).max(255).optional().openapi({ description: 'the id of the bpmn:message, or its name' }),
      variables: S.ProcessVariables.optional(),
    }).strict().refine((b) => b.messageName !== undefined || b.messageId !== undefined, { message: 'Give messageName (or messageId).', path: ['messageName'] }),
    response: S.Instance,
    handler: async ({ params, body, actor }) => {
      const instance = await loadInstance(params.id, actor);
      assertNoDocumentVariables(body.variables, instance.documentId != null);
      const asked = (body.messageName ?? body.messageId)!;
      let delivered: MessageWait | null = null;
      const { instance: updated } = await runtime.command(instance.id, (host) => {
        const before = host.collector!.ended.size;
        Object.assign(host.variables(), body.variables ?? {});
        delivered = deliverMessage(host, asked);
        if (host.collector!.ended.size === before) throw conflict(`The instance is not waiting for message "${asked}".`);
      }, async (t, inst) => {
        const d = delivered as MessageWait | null;
        await HistoryEntry.create({ instanceId: inst.id, organisationId: inst.organisationId, processKey: inst.processKey, elementId: d?.elementId ?? null, event: 'message.received', userId: actor.userId, detail: JSON.stringify({ messageId: d?.messageId ?? asked, messageName: d?.messageName ?? null }), at: new Date() }, { transaction: t });
      });
      return presentInstance(updated);
    },
  });

  api.route({
    method: 'patch', path: '/workflow/instances/:id/variables', tag: TAG, summary: 'Correct process variables (administrators; e.g. before retrying an incident)',
    params: idParam, body: z.object({ variables: S.ProcessVariables }).strict(), response: S.Instance,
    handler: async ({ params, body, actor }) => {
      const instance = await loadInstance(params.id, actor);
      await assertAdministerInstance(actor, instance);
      assertNoDocumentVariables(body.variables, instance.documentId != null);
      const { instance: updated } = await runtime.command(instance.id, (host) => void Object.assign(host.variables(), body.variables), async (t, inst) => {
        await HistoryEntry.create({ instanceId: inst.id, organisationId: inst.organisationId, processKey: inst.processKey, event: 'variables.changed', userId: actor.userId, detail: JSON.stringify({ names: Object.keys(body.variables) }), at: new Date() }, { transaction: t });
      });
      return presentInstance(updated);
    },
  });

  api.route({
    method: 'get', path: '/documents/:id/route', tag: TAG, summary: 'Where a letter is now and who holds it: its processes, open steps and holders, steps done',
    params: idParam,
    response: z.object({
      documentId: z.number().int(),
      instances: z.array(z.object({ id: z.number().int(), processKey: z.string(), status: z.string(), startedAt: z.string(), endedAt: z.string().nullable() })),
      current: z.array(z.object({ taskId: z.number().int(), instanceId: z.number().int(), elementId: z.string(), name: z.string().openapi({ description: "the step's name in the process definition" }), since: z.string(), dueAt: z.string().nullable(), holders: z.array(z.object({ kind: z.string(), id: z.number().int(), name: z.string() })) })),
      done: z.array(z.object({
        taskId: z.number().int(), instanceId: z.number().int(), elementId: z.string(), name: z.string().openapi({ description: "the step's name in the process definition" }),
        completedById: z.number().int().nullable(), completedByName: z.string().nullable(), completedAt: z.string().nullable(), capacity: z.string().nullable(),
        note: z.string().nullable().openapi({ description: 'what was written: endorsement, summary or result' }),
      })),
      sending: z.array(RouteSending),
    }).openapi('DocumentRoute'),
    handler: async ({ params, actor }) => {
      const doc = await assertReadDocument(actor, await Document.findByPk(params.id));
      // The letter's journey between organisations is part of its route (deliveries/present.ts).
      const { rows } = await deliveriesOfDocument(doc);
      await logSecretDeliveryReads(db.sequelize, actor, rows, 'letter route');
      return { ...(await routeOfDocument(params.id)), sending: await presentSending(rows) };
    },
  });

  api.route({
    method: 'post', path: '/documents/:id/circulate', tag: TAG, summary: 'Circulate a registered letter to many units; each acknowledges (track it with GET /documents/:id/route)',
    params: idParam, body: z.object({ unitIds: z.array(z.number().int().positive()).min(1).max(500) }).strict(), status: 201,
    response: z.object({ instanceId: z.number().int() }),
    handler: async ({ params, body, actor }) => {
      assertClerk(actor);
      const doc = await assertReadDocument(actor, await Document.findByPk(params.id));
      return { instanceId: await circulate(runtime, actor, doc, [...new Set(body.unitIds)]) };
    },
  });

  api.route({
    method: 'post', path: '/documents/:id/forward', tag: TAG, status: 201,
    summary: 'Forward a letter to a person, unit or position of the organisation: they get a task "พิจารณา/ดำเนินการ" (registry clerks, or whoever holds an open task on the letter)',
    description: 'Never to another organisation (422). A ลับ / ลับมาก letter goes only to a person (toUserId), who becomes a named recipient. Audited as document.forwarded.',
    params: idParam, body: ForwardBody, response: ForwardResult,
    handler: async ({ params, body, actor }) => {
      const doc = await assertReadDocument(actor, await Document.findByPk(params.id));
      return forward(db.sequelize, runtime, actor, doc, body);
    },
  });

  api.route({
    method: 'get', path: '/workflow/incidents', tag: TAG, summary: 'Open incidents in my organisation (administrators)',
    response: z.object({ items: z.array(S.IncidentSchema) }),
    handler: async ({ actor }) => {
      if (!actor.roles.has('system_admin')) throw forbidden('Only administrators see incidents.');
      const instances = await ProcessInstance.findAll({ where: { organisationId: actor.organisationId }, attributes: ['id'] });
      const items = await Incident.findAll({ where: { status: 'open', instanceId: { [Op.in]: instances.map((i) => i.id) } }, order: [['id', 'ASC']] });
      return { items: items.map(presentIncident) };
    },
  });

  api.route({
    method: 'post', path: '/workflow/instances/:id/cancel', tag: TAG, params: idParam, response: S.Instance,
    summary: 'Cancel a running instance, with a reason (administrators): its open tasks, timers and incidents end with it',
    body: z.object({ reason: z.string().trim().min(3).max(500) }).strict(),
    handler: async ({ params, body, actor }) => {
      const instance = await ProcessInstance.findByPk(params.id, { attributes: { exclude: ['state'] } });
      if (!instance) throw notFound('Process instance');
      await assertAdministerInstance(actor, instance);
      return presentInstance(await runtime.cancel(instance.id, { userId: actor.userId, reason: body.reason }));
    },
  });

  api.route({
    method: 'post', path: '/workflow/incidents/:id/retry', tag: TAG, summary: 'Retry the failed step of an incident (administrators)', params: idParam, response: S.IncidentSchema,
    handler: async ({ params, actor }) => {
      const incident = await Incident.findByPk(params.id);
      if (!incident) throw notFound('Incident');
      const instance = await ProcessInstance.findByPk(incident.instanceId, { attributes: { exclude: ['state'] } });
      await assertAdministerInstance(actor, instance!);
      if (incident.status !== 'open') throw conflict('The incident is already resolved.');
      await writeTransaction(db.sequelize, async (t) => {
        await incident.update({ status: 'resolved', resolvedAt: new Date(), resolvedById: actor.userId }, { transaction: t });
        if (incident.jobId) await WorkflowJob.update({ status: 'pending', attempts: 0, dueAt: new Date(), lockedBy: null, lockedUntil: null }, { where: { id: incident.jobId }, transaction: t });
        await HistoryEntry.create({ instanceId: instance!.id, organisationId: instance!.organisationId, processKey: instance!.processKey, elementId: incident.elementId, event: 'incident.retried', userId: actor.userId, detail: JSON.stringify({ incidentId: incident.id }), at: new Date() }, { transaction: t });
      });
      ctx.scheduler?.wake();
      return presentIncident(incident);
    },
  });
}
