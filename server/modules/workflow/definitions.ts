// Deployed process versions. A deployment that passes validation becomes version n+1 of its key
// in the organisation; running instances stay on their version. An organisation without its own
// version of a key uses the nearest ancestor's (the ministry's processes serve its offices).
import fs from 'node:fs';
import path from 'node:path';
import { Op, Transaction } from 'sequelize';
import { LRUCache } from 'lru-cache';
import type { Database } from '../../db';
import { writeTransaction } from '../../lib/transaction';
import { Organisation, ProcessDefinition } from '../../db/models';
import { AppError, conflict, forbidden, notFound } from '../../lib/errors';
import { ancestorsOf } from '../org/policy';
import type { Actor } from '../auth/actor';
import { normaliseXmlDeclaration, parseAndValidate, ElementProblem, ValidateOptions, STARTER_GROUP, STARTER_USER } from './bpmn';
import { groupsOfLine } from './performers';
import { isShipped, markShipped } from './services';
import { scheduleStartTimers, startTimerFailures, startTimerProblems } from './start-timers';

export class InvalidBpmn extends AppError {
  constructor(public problems: ElementProblem[]) {
    super(422, 'invalid_bpmn', `The BPMN cannot be deployed: ${problems[0]?.message ?? 'invalid'}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, problems);
  }
}

export async function validateBpmn(xml: string, options: ValidateOptions = {}) {
  const { problems, parsed } = await parseAndValidate(xml, options);
  if (!problems.length && parsed) problems.push(...startTimerProblems(parsed.sourceContext));
  if (problems.length || !parsed) throw new InvalidBpmn(problems);
  return parsed;
}

/** `shipped` is for deployShippedProcesses alone: the routes never pass it. The version comes back
 * with the warnings of its validation (what deploys but is ignored). */
export async function deploy(db: Database, input: { organisationId: number; xml: string; deployedById: number | null; activate?: boolean; shipped?: boolean; newProcess?: boolean }): Promise<ProcessDefinition & { warnings: ElementProblem[] }> {
  const parsed = await validateBpmn(input.xml, { shipped: input.shipped });
  const sourceContext = input.shipped ? markShipped(parsed.sourceContext) : parsed.sourceContext;
  // Kept declaring the encoding it is served in (the text came in a JSON body, already Unicode).
  const xml = normaliseXmlDeclaration(input.xml);
  const created = await writeTransaction(db.sequelize, async (t) => {
    if (input.newProcess) await assertNewProcessKey(input.organisationId, parsed.key, t);
    const latest = await ProcessDefinition.max<number, ProcessDefinition>('version', { where: { organisationId: input.organisationId, key: parsed.key }, transaction: t });
    const activate = input.activate !== false;
    if (activate) await ProcessDefinition.update({ isActive: false }, { where: { organisationId: input.organisationId, key: parsed.key }, transaction: t });
    const row = await ProcessDefinition.create(
      { organisationId: input.organisationId, key: parsed.key, name: parsed.name, version: (latest ?? 0) + 1, isActive: activate, xml, sourceContext, deployedById: input.deployedById },
      { transaction: t },
    );
    if (activate) await scheduleStartTimers(db, row, t);
    return row;
  });
  return Object.assign(created, { warnings: parsed.warnings });
}

/**
 * A diagram drawn as a new process must not become the next version of one that exists under the
 * same id (its own organisation's, or one above it that it would shadow): 409, nothing deployed.
 */
export async function assertNewProcessKey(organisationId: number, key: string, transaction?: Transaction): Promise<void> {
  const chain = [organisationId, ...(await ancestorsOf(organisationId, transaction))];
  const existing = await ProcessDefinition.findOne({ where: { key, organisationId: { [Op.in]: chain } }, attributes: ['id', 'name', 'organisationId'], transaction });
  if (!existing) return;
  const named = existing.name ? ` (${existing.name})` : '';
  throw conflict(`มีกระบวนงานรหัส "${key}"${named} อยู่แล้ว: ตั้งรหัสกระบวนงานใหม่ หรือเปิดรุ่นที่ติดตั้งแล้วเพื่อแก้ไข — A process with the id "${key}" already exists; choose another id, or open the deployed version to change it.`, [
    { field: 'processId', elementId: key, message: `มีกระบวนงานรหัส "${key}" อยู่แล้ว` },
  ]);
}

/** The version new instances of `key` use in an organisation: its own active one, else the nearest ancestor's.
 * Inside a command, pass its transaction (a second pooled connection could starve the pool). */
export async function activeDefinition(organisationId: number, key: string, transaction?: Transaction): Promise<ProcessDefinition> {
  const chain = [organisationId, ...(await ancestorsOf(organisationId, transaction))];
  const rows = await ProcessDefinition.findAll({ where: { key, isActive: true, organisationId: { [Op.in]: chain } }, attributes: { exclude: ['xml', 'sourceContext'] }, transaction });
  const found = chain.map((id) => rows.find((r) => r.organisationId === id)).find(Boolean);
  if (!found) throw notFound(`Process "${key}"`);
  return found;
}

/** Camunda's candidate starters of a version: null when anyone may start it. Versions never change. */
interface Starters { groups: string[]; users: string[] }
const starterCache = new LRUCache<number, { starters: Starters | null }>({ max: 500 });

async function startersOf(definitionId: number): Promise<Starters | null> {
  const cached = starterCache.get(definitionId);
  if (cached) return cached.starters;
  const row = await ProcessDefinition.findByPk(definitionId, { attributes: ['id', 'sourceContext'] });
  const source = row ? (JSON.parse(row.sourceContext) as { processes?: Array<{ behaviour?: { isExecutable?: boolean; candidateStarterGroups?: string; candidateStarterUsers?: string } }> }) : {};
  const processes = source.processes ?? [];
  const b = (processes.find((p) => p.behaviour?.isExecutable) ?? processes[0])?.behaviour ?? {};
  const list = (value: string | undefined, pattern: RegExp) => (value == null ? null : String(value).split(',').map((e) => pattern.exec(e.trim())?.[1]).filter((e): e is string => Boolean(e)));
  const groups = list(b.candidateStarterGroups, STARTER_GROUP);
  const users = list(b.candidateStarterUsers, STARTER_USER);
  const starters = groups === null && users === null ? null : { groups: groups ?? [], users: (users ?? []).map((u) => u.toLowerCase()) };
  starterCache.set(definitionId, { starters });
  return starters;
}

/**
 * Whether someone may start a version (Camunda's camunda:candidateStarterGroups and
 * candidateStarterUsers): anyone when it names neither; else a user it names (by user name or id)
 * or a member of a group it names (a group key of the organisation's line, nearest first, as a
 * task's candidateGroups; or a group id of that line).
 */
export async function mayStart(actor: Actor, definition: ProcessDefinition): Promise<boolean> {
  const starters = await startersOf(definition.id);
  if (!starters) return true;
  if (starters.users.some((u) => u === actor.user.username.toLowerCase() || u === String(actor.userId))) return true;
  if (!starters.groups.length || !actor.groupIds.length) return false;
  const groups = await groupsOfLine(starters.groups, [actor.organisationId, ...(await ancestorsOf(actor.organisationId))]);
  return groups.some((g) => actor.groupIds.includes(g));
}

export async function assertMayStart(actor: Actor, definition: ProcessDefinition): Promise<void> {
  if (!(await mayStart(actor, definition))) throw forbidden(`You may not start the process "${definition.key}": it names who may start it (camunda:candidateStarterGroups / candidateStarterUsers).`);
}

/** Versions visible to an organisation: its own and its ancestors' (nearest first per key). Given
 * someone who does not design processes, only the ones whose active version they may start. */
export async function visibleDefinitions(organisationId: number, startingAs?: Actor) {
  const chain = [organisationId, ...(await ancestorsOf(organisationId))];
  const rows = await ProcessDefinition.findAll({ where: { organisationId: { [Op.in]: chain } }, attributes: { exclude: ['xml', 'sourceContext'] }, order: [['key', 'ASC'], ['version', 'DESC']] });
  const byKey = new Map<string, ProcessDefinition[]>();
  for (const r of rows) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  const listed = [...byKey.entries()].map(([key, versions]) => {
    const owner = chain.find((id) => versions.some((v) => v.organisationId === id))!;
    const own = versions.filter((v) => v.organisationId === owner);
    return {
      key,
      name: own[0]?.name ?? null,
      organisationId: owner,
      inherited: owner !== organisationId,
      versions: own.map((v) => ({ id: v.id, version: v.version, isActive: v.isActive, deployedAt: v.createdAt.toISOString(), deployedById: v.deployedById })),
      active: own.find((v) => v.isActive),
    };
  });
  const out = [];
  for (const { active, ...item } of listed) {
    if (startingAs && active && !(await mayStart(startingAs, active))) continue;
    out.push(item);
  }
  if (startingAs) return out;
  // Those who design processes see the timer start events that gave up (no instance shows them).
  const failures = await startTimerFailures(out.flatMap((d) => d.versions.map((v) => v.id)));
  return out.map((d) => ({ ...d, startTimerFailures: failures.filter((f) => d.versions.some((v) => v.id === f.definitionId)).map(({ definitionId, ...f }) => ({ ...f, version: d.versions.find((v) => v.id === definitionId)!.version })) }));
}

export async function findVersion(organisationId: number, key: string, version: number): Promise<ProcessDefinition> {
  const chain = [organisationId, ...(await ancestorsOf(organisationId))];
  const rows = await ProcessDefinition.findAll({ where: { key, version, organisationId: { [Op.in]: chain } } });
  const found = chain.map((id) => rows.find((r) => r.organisationId === id)).find(Boolean);
  if (!found) throw notFound(`Version ${version} of process "${key}"`);
  return found;
}

export async function activate(db: Database, definition: ProcessDefinition): Promise<void> {
  await writeTransaction(db.sequelize, async (t) => {
    await ProcessDefinition.update({ isActive: false }, { where: { organisationId: definition.organisationId, key: definition.key }, transaction: t });
    await ProcessDefinition.update({ isActive: true }, { where: { id: definition.id }, transaction: t });
    await scheduleStartTimers(db, definition, t); // timer start events move to the active version
  });
  definition.isActive = true;
}

function processesFolder(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'processes'))) return path.join(dir, 'processes');
  }
  throw new Error('processes/ folder not found');
}

/** Deploys the BPMN files shipped in processes/ to every top-level organisation that lacks them. */
export async function deployShippedProcesses(db: Database): Promise<string[]> {
  const folder = processesFolder();
  const files = fs.readdirSync(folder).filter((f) => f.endsWith('.bpmn')).sort();
  const roots = await Organisation.findAll({ where: { parentId: null } });
  const deployed: string[] = [];
  for (const file of files) {
    const xml = fs.readFileSync(path.join(folder, file), 'utf8');
    const parsed = await validateBpmn(xml, { shipped: true });
    await markShippedVersions(db, parsed.key, xml);
    for (const root of roots) {
      if (await ProcessDefinition.count({ where: { organisationId: root.id, key: parsed.key } })) continue;
      await deploy(db, { organisationId: root.id, xml, deployedById: null, shipped: true });
      deployed.push(`${parsed.key}@${root.agencyCode}`);
    }
  }
  return deployed;
}

/** Marks the versions the product deployed before shipped versions were marked: deployed by no
 * one (the seeding) with, byte for byte, the shipped file's XML. */
async function markShippedVersions(db: Database, key: string, xml: string): Promise<void> {
  const rows = await ProcessDefinition.findAll({ where: { key, deployedById: null }, attributes: ['id', 'xml', 'sourceContext'] });
  for (const row of rows.filter((r) => r.xml === xml && !isShipped(r.sourceContext))) {
    await writeTransaction(db.sequelize, (t) => ProcessDefinition.update({ sourceContext: markShipped(row.sourceContext) }, { where: { id: row.id }, transaction: t }));
  }
}

export interface ActivityInfo {
  id: string;
  type: string;
  name: string | null;
}

// Deployed versions never change, so their activity lists are parsed once (the route of a letter,
// the history and the monitor all name steps from here).
const activityCache = new LRUCache<number, ActivityInfo[]>({ max: 200 });

/** The activities of a deployed version, from its serialised source (no XML parsing). */
export async function activitiesOf(definitionId: number): Promise<ActivityInfo[]> {
  return (await activitiesOfEach([definitionId])).get(definitionId)!;
}

/** The activities of several deployed versions, the ones not cached read in one query. */
export async function activitiesOfEach(definitionIds: number[]): Promise<Map<number, ActivityInfo[]>> {
  const out = new Map<number, ActivityInfo[]>();
  const missing = new Set<number>();
  for (const id of definitionIds) {
    const cached = activityCache.get(id);
    if (cached) out.set(id, cached);
    else missing.add(id);
  }
  if (!missing.size) return out;
  const rows = await ProcessDefinition.findAll({ where: { id: { [Op.in]: [...missing] } }, attributes: ['id', 'sourceContext'] });
  for (const id of missing) {
    const d = rows.find((r) => Number(r.id) === id);
    const source = d ? (JSON.parse(d.sourceContext) as { activities?: Array<{ id: string; type: string; name?: string }> }) : {};
    const list = (source.activities ?? []).map((a) => ({ id: a.id, type: a.type, name: a.name ?? null }));
    activityCache.set(id, list);
    out.set(id, list);
  }
  return out;
}
