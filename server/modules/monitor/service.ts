// The monitor's figures, as SQL over the indexed task rows (migration 20261123004100): open and
// overdue work per activity with its waiting times (the heatmap), the slowest activities over a
// window with their average and 90th percentile, and who holds the most overdue work. Each query
// aggregates in the database; nothing loads all tasks into the server.
import { Op, QueryTypes } from 'sequelize';
import type { Database } from '../../db';
import { ProcessDefinition, Unit, User } from '../../db/models';
import { notFound } from '../../lib/errors';
import type { Actor } from '../auth/actor';
import { ancestorsOf } from '../org/policy';
import { watchableOrganisations } from './policy';
import { activitiesOf } from '../workflow/definitions';

export const WINDOWS = { hour: 3600e3, day: 86400e3, '30d': 30 * 86400e3 } as const;
export type Window = keyof typeof WINDOWS;

/** Milliseconds from one DATE(3) expression to another, exact on both databases. */
function msBetween(db: Database, from: string, to: string): string {
  return db.dialect === 'sqlite' ? `((julianday(${to}) - julianday(${from})) * 86400000.0)` : `(TIMESTAMPDIFF(MICROSECOND, ${from}, ${to}) / 1000.0)`;
}

const num = (v: unknown) => (v == null ? null : Math.round(Number(v)));

// --- definitions ----------------------------------------------------------------------------

/** Definitions a watcher may look at: those their organisations run (own and ancestors') and those deployed below. */
async function watchableDefinitionOwners(actor: Actor): Promise<number[]> {
  const watchable = await watchableOrganisations(actor);
  return [...new Set([...watchable, ...(await ancestorsOf(actor.organisationId))])];
}

export async function watchableDefinition(actor: Actor, definitionId: number, key?: string): Promise<ProcessDefinition> {
  const owners = await watchableDefinitionOwners(actor);
  const d = await ProcessDefinition.findByPk(definitionId);
  if (!d || !owners.includes(d.organisationId) || (key !== undefined && d.key !== key)) throw notFound(`Process version ${definitionId}${key ? ` of "${key}"` : ''}`);
  return d;
}

/** The processes a watcher can pick, with their versions and how many instances run in scope. */
export async function monitoredProcesses(db: Database, actor: Actor, scope: number[]) {
  const owners = await watchableDefinitionOwners(actor);
  const rows = await ProcessDefinition.findAll({ where: { organisationId: { [Op.in]: owners } }, attributes: { exclude: ['xml', 'sourceContext'] }, order: [['key', 'ASC'], ['organisationId', 'ASC'], ['version', 'DESC']] });
  const running = await db.sequelize.query<{ processKey: string; n: number }>(
    "SELECT processKey, COUNT(*) AS n FROM process_instances WHERE organisationId IN (:scope) AND status = 'running' GROUP BY processKey",
    { replacements: { scope }, type: QueryTypes.SELECT },
  );
  const byKey = new Map<string, ProcessDefinition[]>();
  for (const r of rows) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  return [...byKey.entries()].map(([key, versions]) => ({
    key,
    name: versions.find((v) => v.isActive)?.name ?? versions[0].name,
    running: Number(running.find((r) => r.processKey === key)?.n ?? 0),
    versions: versions.map((v) => ({ definitionId: v.id, version: v.version, organisationId: v.organisationId, isActive: v.isActive, deployedAt: v.createdAt.toISOString() })),
  }));
}

/** The version a process view draws when no version is chosen: the active one nearest the scope's organisation. */
export async function displayedDefinition(actor: Actor, key: string, organisationId: number): Promise<ProcessDefinition> {
  const chain = [organisationId, ...(await ancestorsOf(organisationId))];
  const owners = new Set(await watchableDefinitionOwners(actor));
  const rows = await ProcessDefinition.findAll({ where: { key, organisationId: { [Op.in]: [...new Set([...chain, ...owners])] } }, attributes: { exclude: ['xml', 'sourceContext'] }, order: [['id', 'DESC']] });
  const active = chain.map((id) => rows.find((r) => r.organisationId === id && r.isActive)).find(Boolean);
  const found = active ?? rows[0];
  if (!found) throw notFound(`Process "${key}"`);
  return found;
}

const WAITING_TYPES = new Set(['bpmn:UserTask', 'bpmn:ManualTask', 'bpmn:Task']);

// --- the heatmap --------------------------------------------------------------------------------

interface Filter {
  key: string;
  scope: number[];
  definitionId?: number;
}

/** A join that keeps only tasks of one deployed version (tasks carry the key, their instance the version). */
const versionJoin = (f: Filter) => (f.definitionId ? 'JOIN process_instances i ON i.id = t.instanceId AND i.definitionId = :definitionId' : '');

export async function activityLoad(db: Database, f: Filter, displayed: ProcessDefinition, now = new Date()) {
  const rows = await db.sequelize.query<{ elementId: string; name: string; open: number; overdue: number; oldestMs: number; averageMs: number }>(
    `SELECT t.elementId AS elementId, MAX(t.name) AS name, COUNT(*) AS open,
            SUM(CASE WHEN t.dueAt IS NOT NULL AND t.dueAt < :now THEN 1 ELSE 0 END) AS overdue,
            MAX(${msBetween(db, 't.createdAt', ':now')}) AS oldestMs, AVG(${msBetween(db, 't.createdAt', ':now')}) AS averageMs
       FROM tasks t ${versionJoin(f)}
      WHERE t.processKey = :key AND t.status = 'open' AND t.organisationId IN (:scope)
      GROUP BY t.elementId`,
    { replacements: { key: f.key, scope: f.scope, definitionId: f.definitionId ?? null, now }, type: QueryTypes.SELECT },
  );
  const activities = await activitiesOf(displayed.id);
  const byId = new Map(rows.map((r) => [r.elementId, r]));
  const items = activities
    .filter((a) => WAITING_TYPES.has(a.type) || byId.has(a.id))
    .map((a) => ({ elementId: a.id, name: a.name ?? byId.get(a.id)?.name ?? a.id, inDiagram: true }))
    // Work still open at activities that a newer version no longer has.
    .concat(rows.filter((r) => !activities.some((a) => a.id === r.elementId)).map((r) => ({ elementId: r.elementId, name: r.name, inDiagram: false })))
    .map((a) => {
      const r = byId.get(a.elementId);
      return { ...a, open: Number(r?.open ?? 0), overdue: Number(r?.overdue ?? 0), oldestWaitingMs: num(r?.oldestMs), averageWaitingMs: num(r?.averageMs) };
    });
  return {
    items,
    totals: { open: items.reduce((n, i) => n + i.open, 0), overdue: items.reduce((n, i) => n + i.overdue, 0) },
  };
}

// --- bottlenecks --------------------------------------------------------------------------------

/**
 * Average and 90th-percentile waiting time (task created → completed) of the tasks completed in
 * the window, per activity. The percentile is the nearest rank (the smallest duration with at
 * least 90 % of the durations at or below it), computed in SQL with window functions, which
 * SQLite (3.25+) and MariaDB (10.2+) both have; nothing is sorted in the server.
 */
export async function slowestActivities(db: Database, f: Filter, window: Window, displayed: ProcessDefinition, now = new Date()) {
  const since = new Date(now.getTime() - WINDOWS[window]);
  const duration = msBetween(db, 't.createdAt', 't.completedAt');
  const rows = await db.sequelize.query<{ elementId: string; name: string; completed: number; averageMs: number; p90Ms: number }>(
    `SELECT x.elementId AS elementId, MAX(x.name) AS name, COUNT(*) AS completed, AVG(x.ms) AS averageMs,
            MIN(CASE WHEN x.rn * 10 >= x.cnt * 9 THEN x.ms END) AS p90Ms
       FROM (SELECT t.elementId AS elementId, t.name AS name, ${duration} AS ms,
                    ROW_NUMBER() OVER (PARTITION BY t.elementId ORDER BY ${duration}) AS rn,
                    COUNT(*) OVER (PARTITION BY t.elementId) AS cnt
               FROM tasks t ${versionJoin(f)}
              WHERE t.processKey = :key AND t.completedAt >= :since AND t.completedAt <= :now
                AND t.organisationId IN (:scope) AND t.status = 'completed') x
      GROUP BY x.elementId
      ORDER BY averageMs DESC`,
    { replacements: { key: f.key, scope: f.scope, definitionId: f.definitionId ?? null, since, now }, type: QueryTypes.SELECT },
  );
  const names = new Map((await activitiesOf(displayed.id)).map((a) => [a.id, a.name]));
  return {
    window,
    since: since.toISOString(),
    items: rows.map((r) => ({ elementId: r.elementId, name: names.get(r.elementId) ?? r.name, completed: Number(r.completed), averageMs: num(r.averageMs)!, p90Ms: num(r.p90Ms)! })),
  };
}

// --- overdue work -------------------------------------------------------------------------------

/**
 * Who holds the most overdue open work. A claimed task is its assignee's (and their unit's); an
 * unclaimed one is held by its candidates: a named user, the holder of a candidate position (and
 * the position's unit), a candidate unit, a named user's unit. Group candidates name no one person or unit.
 */
export async function overdueHolders(db: Database, scope: number[], options: { key?: string; limit: number }, now = new Date()) {
  const where = `t.status = 'open' AND t.dueAt < :now AND t.organisationId IN (:scope)${options.key ? ' AND t.processKey = :key' : ''}`;
  const replacements = { scope, key: options.key ?? null, now, limit: options.limit };
  const late = msBetween(db, 't.dueAt', ':now');
  const people = await db.sequelize.query<{ userId: number; overdue: number; longestMs: number }>(
    `SELECT h.userId AS userId, COUNT(DISTINCT h.taskId) AS overdue, MAX(h.lateMs) AS longestMs FROM (
        SELECT t.id AS taskId, t.assigneeUserId AS userId, ${late} AS lateMs FROM tasks t WHERE ${where} AND t.assigneeUserId IS NOT NULL
        UNION ALL
        SELECT t.id, c.refId, ${late} FROM tasks t JOIN task_candidates c ON c.taskId = t.id AND c.kind = 'user' WHERE ${where} AND t.assigneeUserId IS NULL
        UNION ALL
        SELECT t.id, u.id, ${late} FROM tasks t JOIN task_candidates c ON c.taskId = t.id AND c.kind = 'position' JOIN users u ON u.positionId = c.refId AND u.active = :yes
         WHERE ${where} AND t.assigneeUserId IS NULL
      ) h GROUP BY h.userId ORDER BY overdue DESC, longestMs DESC LIMIT :limit`,
    { replacements: { ...replacements, yes: true }, type: QueryTypes.SELECT },
  );
  const units = await db.sequelize.query<{ unitId: number; overdue: number; longestMs: number }>(
    `SELECT h.unitId AS unitId, COUNT(DISTINCT h.taskId) AS overdue, MAX(h.lateMs) AS longestMs FROM (
        SELECT t.id AS taskId, u.unitId AS unitId, ${late} AS lateMs FROM tasks t JOIN users u ON u.id = t.assigneeUserId WHERE ${where} AND u.unitId IS NOT NULL
        UNION ALL
        SELECT t.id, c.refId, ${late} FROM tasks t JOIN task_candidates c ON c.taskId = t.id AND c.kind = 'unit' WHERE ${where} AND t.assigneeUserId IS NULL
        UNION ALL
        SELECT t.id, u.unitId, ${late} FROM tasks t JOIN task_candidates c ON c.taskId = t.id AND c.kind = 'user' JOIN users u ON u.id = c.refId
         WHERE ${where} AND t.assigneeUserId IS NULL AND u.unitId IS NOT NULL
        UNION ALL
        SELECT t.id, p.unitId, ${late} FROM tasks t JOIN task_candidates c ON c.taskId = t.id AND c.kind = 'position' JOIN positions p ON p.id = c.refId
         WHERE ${where} AND t.assigneeUserId IS NULL AND p.unitId IS NOT NULL
      ) h GROUP BY h.unitId ORDER BY overdue DESC, longestMs DESC LIMIT :limit`,
    { replacements, type: QueryTypes.SELECT },
  );
  const users = await User.findAll({ where: { id: { [Op.in]: people.map((p) => p.userId).concat(-1) } } });
  const unitRows = await Unit.findAll({ where: { id: { [Op.in]: [...units.map((u) => u.unitId), ...users.map((u) => u.unitId ?? -1)].concat(-1) } } });
  const unitName = (id: number | null) => unitRows.find((u) => u.id === id)?.nameTh ?? null;
  return {
    people: people.map((p) => {
      const user = users.find((u) => u.id === Number(p.userId));
      return { userId: Number(p.userId), name: user?.displayName ?? `#${p.userId}`, unitName: unitName(user?.unitId ?? null), organisationId: user?.organisationId ?? null, overdue: Number(p.overdue), longestOverdueMs: num(p.longestMs)! };
    }),
    units: units.map((u) => ({ unitId: Number(u.unitId), name: unitName(Number(u.unitId)) ?? `#${u.unitId}`, organisationId: unitRows.find((r) => r.id === Number(u.unitId))?.organisationId ?? null, overdue: Number(u.overdue), longestOverdueMs: num(u.longestMs)! })),
  };
}
