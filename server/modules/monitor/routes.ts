// The live monitor for managers (ติดตามงาน): per-activity load of a process, its bottlenecks, who
// holds overdue work, and instances. Pages refetch these when `monitor.changed` (or a task event)
// reaches the `monitors:<organisationId>` rooms (notify/rooms.ts).
import { Api, idParam } from '../../lib/route';
import { Organisation } from '../../db/models';
import { Op } from 'sequelize';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import * as S from './schemas';
import { watchScope } from './policy';
import { activityLoad, displayedDefinition, monitoredProcesses, overdueHolders, slowestActivities, watchableDefinition } from './service';
import { instanceDetail, searchInstances } from './instances';

const TAG = 'Monitor';

export function registerMonitorRoutes(api: Api<Actor>, ctx: AppContext): void {
  const { db } = ctx;

  /** The watched organisations, the version to draw and the version filter of a process view. */
  const processView = async (actor: Actor, key: string, query: { organisationId?: number; definitionId?: number }) => {
    const scope = await watchScope(actor, query.organisationId);
    const displayed = query.definitionId ? await watchableDefinition(actor, query.definitionId, key) : await displayedDefinition(actor, key, query.organisationId ?? actor.organisationId);
    return { filter: { key, scope, definitionId: query.definitionId }, displayed };
  };
  const definitionRef = (d: { id: number; key: string; name: string | null; version: number; organisationId: number }) => ({ id: d.id, key: d.key, name: d.name, version: d.version, organisationId: d.organisationId });

  api.route({
    method: 'get', path: '/monitor/processes', tag: TAG, summary: 'Processes I may watch, with their versions and running instances, and the organisations I may watch',
    query: S.ScopeQuery.pick({ organisationId: true }), response: S.MonitoredProcesses,
    handler: async ({ actor, query }) => {
      const scope = await watchScope(actor, query.organisationId);
      const all = await watchScope(actor);
      const organisations = await Organisation.findAll({ where: { id: { [Op.in]: all } }, attributes: ['id', 'parentId', 'nameTh'], order: [['id', 'ASC']] });
      return { organisations: organisations.map((o) => ({ id: o.id, parentId: o.parentId ?? null, nameTh: o.nameTh })), items: await monitoredProcesses(db, actor, scope) };
    },
  });

  api.route({
    method: 'get', path: '/monitor/definitions/:id/xml', tag: TAG, summary: 'The BPMN XML of a version I may watch (for the diagram)', params: idParam,
    handler: async ({ actor, params, res }) => {
      res.type('application/xml').send((await watchableDefinition(actor, params.id)).xml);
    },
  });

  api.route({
    method: 'get', path: '/monitor/processes/:key/activities', tag: TAG,
    summary: 'Open and overdue tasks per activity, with the oldest and average waiting time (the heatmap)',
    params: S.keyParam, query: S.ScopeQuery, response: S.ActivityLoad,
    handler: async ({ actor, params, query }) => {
      const { filter, displayed } = await processView(actor, params.key, query);
      const now = new Date();
      return { processKey: params.key, definition: definitionRef(displayed), at: now.toISOString(), ...(await activityLoad(db, filter, displayed, now)) };
    },
  });

  api.route({
    method: 'get', path: '/monitor/processes/:key/slowest', tag: TAG,
    summary: 'The slowest activities: average and 90th-percentile waiting time (created → completed) of tasks completed in the window',
    params: S.keyParam, query: S.WindowQuery, response: S.SlowestActivities,
    handler: async ({ actor, params, query }) => {
      const { filter, displayed } = await processView(actor, params.key, query);
      return slowestActivities(db, filter, query.window, displayed);
    },
  });

  api.route({
    method: 'get', path: '/monitor/overdue', tag: TAG, summary: 'People and units holding the most overdue open work (top N)',
    query: S.OverdueQuery, response: S.OverdueHolders,
    handler: async ({ actor, query }) => overdueHolders(db, await watchScope(actor, query.organisationId), { key: query.processKey, limit: query.limit }),
  });

  api.route({
    method: 'get', path: '/monitor/instances', tag: TAG, summary: 'Search instances: id, business key, letter subject or number; status; process',
    query: S.InstanceQuery, response: S.InstancePage,
    handler: async ({ actor, query }) => searchInstances(db, actor, await watchScope(actor, query.organisationId), query),
  });

  api.route({
    method: 'get', path: '/monitor/instances/:id', tag: TAG, summary: 'One instance: its diagram, the path taken, history, open tasks and incidents',
    params: idParam, response: S.InstanceDetail,
    handler: async ({ actor, params }) => instanceDetail(db, actor, params.id),
  });
}
