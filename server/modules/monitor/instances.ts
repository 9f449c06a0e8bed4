// Instances for the monitor: a paged search (id, business key, the letter's subject or number,
// status, process) over the organisations the watcher may see, and one instance in full: the
// diagram of its version, the path it took, its history, open tasks and incidents. A letter's
// subject and number appear only where the watcher may read the letter (documents/policy.ts).
import { Op, QueryTypes } from 'sequelize';
import type { Database } from '../../db';
import { Document, Group, HistoryEntry, Incident, Organisation, Position, ProcessDefinition, ProcessInstance, Task, TaskCandidate, Unit, User, WorkflowJob } from '../../db/models';
import { notFound } from '../../lib/errors';
import { letterNumberKey } from '../../lib/letter-number';
import type { Actor } from '../auth/actor';
import { readableSql } from '../documents/policy';
import { disclosure } from '../documents/present';
import { administers } from '../org/policy';
import { presentHistory, presentIncident, presentInstance, presentTask } from '../workflow/present';
import { activitiesOf } from '../workflow/definitions';
import { assertWatch } from './policy';

export type InstanceStatusFilter = 'running' | 'ended' | 'incident';

const STATUS_SQL: Record<InstanceStatusFilter, string> = {
  running: "i.status = 'running'",
  ended: "i.status IN ('completed', 'cancelled')",
  incident: "(i.status = 'failed' OR EXISTS (SELECT 1 FROM workflow_incidents x WHERE x.status = 'open' AND x.instanceId = i.id))",
};

/** LIKE pattern for a fragment, with % and _ taken literally ('!' escapes, the same on both databases). */
const contains = (text: string) => `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;

async function readableDocuments(db: Database, actor: Actor, ids: number[]): Promise<Map<number, Document>> {
  if (!ids.length) return new Map();
  const readable = readableSql(actor);
  const rows = await db.sequelize.query<{ id: number }>(`SELECT d.id AS id FROM documents d WHERE d.id IN (:ids) AND ${readable.sql}`, { replacements: { ...readable.replacements, ids }, type: QueryTypes.SELECT });
  const docs = await Document.findAll({ where: { id: { [Op.in]: rows.map((r) => r.id).concat(-1) } }, attributes: ['id', 'subject', 'letterNumber', 'secrecy', 'registerNumber', 'registerYear'] });
  return new Map(docs.map((d) => [Number(d.id), d]));
}

/** A letter as the monitor names it: subject, the sender's number and our เลขรับ (number/B.E. year, as registered). */
const documentRef = (doc: Document) => ({
  id: Number(doc.id), subject: doc.subject, letterNumber: doc.letterNumber,
  receiveNumber: doc.registerNumber != null && doc.registerYear != null ? `${doc.registerNumber}/${doc.registerYear}` : null,
});

const byIds = <T extends { id: number }>(rows: T[], name: (row: T) => string) => new Map(rows.map((r) => [Number(r.id), name(r)]));

/** Who holds each open task: its assignee, or whom it waits for (a group, unit, position or person). */
async function holders(open: Task[]): Promise<Map<number, string>> {
  const candidates = await TaskCandidate.findAll({ where: { taskId: { [Op.in]: open.map((t) => t.id).concat(-1) } }, attributes: ['taskId', 'kind', 'refId'], raw: true });
  const ids = (kind: string) => [...new Set(candidates.filter((c) => c.kind === kind).map((c) => c.refId))].concat(-1);
  const userIds = [...new Set([...open.map((t) => t.assigneeUserId).filter((u): u is number => u != null), ...ids('user')])].concat(-1);
  const [users, groups, units, positions] = await Promise.all([
    User.findAll({ where: { id: { [Op.in]: userIds } } }).then((r) => byIds(r, (u) => u.displayName)),
    Group.findAll({ where: { id: { [Op.in]: ids('group') } }, attributes: ['id', 'nameTh'] }).then((r) => byIds(r, (g) => g.nameTh)),
    Unit.findAll({ where: { id: { [Op.in]: ids('unit') } }, attributes: ['id', 'nameTh'] }).then((r) => byIds(r, (u) => u.nameTh)),
    Position.findAll({ where: { id: { [Op.in]: ids('position') } }, attributes: ['id', 'titleTh'] }).then((r) => byIds(r, (p) => p.titleTh)),
  ]);
  const names: Record<string, Map<number, string>> = { user: users, group: groups, unit: units, position: positions };
  return new Map(open.map((t) => {
    if (t.assigneeUserId != null) return [Number(t.id), users.get(Number(t.assigneeUserId)) ?? null];
    const waiting = candidates.filter((c) => Number(c.taskId) === Number(t.id)).map((c) => names[c.kind]?.get(Number(c.refId))).filter(Boolean);
    return [Number(t.id), waiting.length ? `รอผู้รับงาน: ${waiting.join(', ')}` : null];
  }).filter((e): e is [number, string] => e[1] != null));
}

const organisationNames = async (ids: number[]) => new Map((await Organisation.findAll({ where: { id: { [Op.in]: ids.concat(-1) } }, attributes: ['id', 'nameTh'] })).map((o) => [o.id, o.nameTh]));

export async function searchInstances(
  db: Database,
  actor: Actor,
  scope: number[],
  query: { q?: string; status?: InstanceStatusFilter; processKey?: string; limit: number; offset: number },
) {
  const readable = readableSql(actor);
  const where = ['i.organisationId IN (:scope)'];
  const replacements: Record<string, unknown> = { ...readable.replacements, scope, limit: query.limit, offset: query.offset };
  if (query.processKey) {
    where.push('i.processKey = :processKey');
    replacements.processKey = query.processKey;
  }
  if (query.status) where.push(STATUS_SQL[query.status]);
  const q = query.q?.trim();
  if (q) {
    const any = ["i.businessKey LIKE :like ESCAPE '!'", "d.subject LIKE :like ESCAPE '!'", "d.letterNumberKey LIKE :numberLike ESCAPE '!'"];
    if (/^\d+$/.test(q)) {
      any.unshift('i.id = :qid');
      replacements.qid = Number(q);
    }
    where.push(`(${any.join(' OR ')})`);
    Object.assign(replacements, { like: contains(q), numberLike: contains(letterNumberKey(q)) });
  }
  // The letter joins only when the watcher may read it, so a secret subject is neither shown nor searchable.
  const from = `FROM process_instances i LEFT JOIN documents d ON d.id = i.documentId AND ${readable.sql} WHERE ${where.join(' AND ')}`;
  const [{ total }] = await db.sequelize.query<{ total: number }>(`SELECT COUNT(*) AS total ${from}`, { replacements, type: QueryTypes.SELECT });
  const page = await db.sequelize.query<{ id: number }>(`SELECT i.id AS id ${from} ORDER BY i.id DESC LIMIT :limit OFFSET :offset`, { replacements, type: QueryTypes.SELECT });
  const ids = page.map((r) => Number(r.id));
  const instances = await ProcessInstance.findAll({ where: { id: { [Op.in]: ids.concat(-1) } }, attributes: { exclude: ['state'] } });
  const incidents = await db.sequelize.query<{ instanceId: number; n: number }>(
    "SELECT instanceId, COUNT(*) AS n FROM workflow_incidents WHERE status = 'open' AND instanceId IN (:ids) GROUP BY instanceId",
    { replacements: { ids: ids.concat(-1) }, type: QueryTypes.SELECT },
  );
  const docs = await readableDocuments(db, actor, instances.map((i) => Number(i.documentId)).filter(Boolean));
  const versions = new Map((await ProcessDefinition.findAll({ where: { id: { [Op.in]: instances.map((i) => i.definitionId).concat(-1) } }, attributes: ['id', 'version'] })).map((d) => [d.id, d.version]));
  const orgs = await organisationNames(instances.map((i) => i.organisationId));
  const items = ids
    .map((id) => instances.find((i) => Number(i.id) === id)!)
    .filter(Boolean)
    .map((i) => {
      const doc = i.documentId ? docs.get(Number(i.documentId)) : undefined;
      return {
        ...presentInstance(i),
        organisationId: i.organisationId,
        organisationName: orgs.get(i.organisationId) ?? null,
        definitionVersion: versions.get(i.definitionId) ?? null,
        openIncidents: Number(incidents.find((x) => Number(x.instanceId) === Number(i.id))?.n ?? 0),
        document: doc ? documentRef(doc) : null,
      };
    });
  return { items, total: Number(total) };
}

/** One instance for its monitor page (403 outside the watcher's organisations). */
export async function instanceDetail(db: Database, actor: Actor, id: number) {
  const instance = await ProcessInstance.findByPk(id, { attributes: { exclude: ['state'] } });
  if (!instance) throw notFound('Process instance');
  await assertWatch(actor, instance.organisationId);
  const definition = (await ProcessDefinition.findByPk(instance.definitionId, { attributes: ['id', 'key', 'name', 'version', 'organisationId', 'xml'] }))!;
  const [history, tasks, incidents, jobs, activities] = await Promise.all([
    HistoryEntry.findAll({ where: { instanceId: instance.id }, order: [['id', 'ASC']] }),
    Task.findAll({ where: { instanceId: instance.id }, order: [['id', 'ASC']] }),
    Incident.findAll({ where: { instanceId: instance.id }, order: [['id', 'ASC']] }),
    WorkflowJob.findAll({ where: { instanceId: instance.id, status: { [Op.in]: ['pending', 'running', 'failed'] } }, attributes: ['elementId'] }),
    activitiesOf(definition.id),
  ]);
  const names = new Map(activities.map((a) => [a.id, a.name]));
  const people = new Map((await User.findAll({ where: { id: { [Op.in]: [...new Set(history.map((h) => h.userId).filter((u): u is number => u != null))].concat(-1) } } })).map((u) => [u.id, u.displayName]));
  const docs = instance.documentId ? await readableDocuments(db, actor, [Number(instance.documentId)]) : new Map<number, Document>();
  const doc = instance.documentId ? docs.get(Number(instance.documentId)) : undefined;
  const open = tasks.filter((t) => t.status === 'open');
  // Endorsements and task titles carry the letter's content: the one disclosure rule decides.
  const disclose = await disclosure(actor, [instance]);
  const showContent = disclose(instance);
  const held = await holders(open);
  const activeElementIds = [...new Set([...open.map((t) => t.elementId), ...jobs.map((j) => j.elementId), ...incidents.filter((i) => i.status === 'open' && i.elementId).map((i) => i.elementId!)])];
  return {
    instance: { ...presentInstance(instance), organisationId: instance.organisationId, organisationName: (await organisationNames([instance.organisationId])).get(instance.organisationId) ?? null },
    definition: { id: definition.id, key: definition.key, name: definition.name, version: definition.version, organisationId: definition.organisationId },
    xml: definition.xml,
    document: doc ? documentRef(doc) : null,
    // The path taken: every activity that ended, in the order it ended.
    path: history.filter((h) => h.event === 'activity.end' && h.elementId).map((h) => ({ elementId: h.elementId!, elementType: h.elementType, name: names.get(h.elementId!) ?? null, at: h.at.toISOString() })),
    activeElementIds,
    history: history.map((h) => {
      return { ...presentHistory(h, showContent), elementName: h.elementId ? (names.get(h.elementId) ?? null) : null, userName: h.userId ? (people.get(h.userId) ?? null) : null };
    }),
    openTasks: open.map((t) => ({ ...presentTask(t, disclose), holder: held.get(Number(t.id)) ?? null })),
    incidents: incidents.map(presentIncident),
    canRetry: await administers(actor, instance.organisationId),
  };
}
