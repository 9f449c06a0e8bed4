// The organisation's rules: references stay inside the organisation, the chain of command has
// no cycles, and every change is one transaction.
import { Model, ModelStatic, Op, Sequelize, Transaction } from 'sequelize';
import { Organisation, Unit, Position, Group, GroupMember, User, Delegation, ROLE_KEYS } from '../../db/models';
import { notFound, unprocessable } from '../../lib/errors';
import { hashPassword } from '../auth/passwords';
import { revokeAllRefreshTokens } from '../auth/tokens';
import { ancestorsOf, forgetOrgTree } from './policy';
import { writeTransaction } from '../../lib/transaction';
import { appendAudit } from '../audit/service';
import { giveDefaultPhrases } from '../tasks/phrases';

export const ROLE_NAMES: Record<(typeof ROLE_KEYS)[number], [string, string]> = {
  system_admin: ['ผู้ดูแลระบบ', 'System administrator'],
  process_designer: ['ผู้ออกแบบกระบวนงาน', 'Process designer'],
  registry_clerk: ['เจ้าหน้าที่สารบรรณ', 'Registry clerk'],
  staff: ['เจ้าหน้าที่', 'Staff'],
  executive: ['ผู้บริหาร', 'Executive'],
  secrets_custodian: ['นายทะเบียนเอกสารลับ', 'Secrets custodian'],
};

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export function presentOrganisation(o: Organisation) {
  const { id, parentId, kind, nameTh, nameEn, agencyCode, ministryCode, interchangeId, address, phone, email, active } = o;
  return { id, parentId: parentId ?? null, kind, nameTh, nameEn, agencyCode, ministryCode, interchangeId, address, phone, email, active };
}
export function presentUnit(u: Unit) {
  const { id, organisationId, parentUnitId, kind, nameTh, nameEn, ownerCode, keepsOwnRegister, active } = u;
  return { id, organisationId, parentUnitId, kind, nameTh, nameEn, ownerCode, keepsOwnRegister, active };
}
export function presentPosition(p: Position) {
  const { id, organisationId, unitId, titleTh, titleEn, reportsToId, active } = p;
  return { id, organisationId, unitId, titleTh, titleEn, reportsToId, active };
}
export function presentGroup(g: Group) {
  const { id, organisationId, key, nameTh, nameEn } = g;
  return { id, organisationId, key, nameTh, nameEn, isRole: (ROLE_KEYS as readonly string[]).includes(key) };
}
export function presentUser(u: User, groups?: Group[]) {
  const { id, organisationId, unitId, positionId, username, prefixTh, firstNameTh, lastNameTh, nameEn, email, phone, locale, emailNotifications, active } = u;
  return {
    id, organisationId, unitId, positionId, username, prefixTh, firstNameTh, lastNameTh, displayName: u.displayName, nameEn, email, phone, locale, emailNotifications, active,
    ...(groups ? { groupIds: groups.map((g) => g.id), roles: groups.map((g) => g.key).filter((k) => (ROLE_KEYS as readonly string[]).includes(k)) as Array<(typeof ROLE_KEYS)[number]> } : {}),
  };
}
export function presentDelegation(d: Delegation, now = new Date()) {
  const { id, organisationId, principalPositionId, delegateUserId, capacity, orderNumber, orderDate, note } = d;
  const active = !d.revokedAt && d.startsAt <= now && (!d.endsAt || d.endsAt > now);
  return { id, organisationId, principalPositionId, delegateUserId, capacity, startsAt: iso(d.startsAt)!, endsAt: iso(d.endsAt), orderNumber, orderDate, note, revokedAt: iso(d.revokedAt), active };
}

export async function findOr404<M extends Model>(model: ModelStatic<M>, id: number, what: string, transaction?: Transaction): Promise<M> {
  const row = await model.findByPk(id, { transaction });
  if (!row) throw notFound(what);
  return row;
}

/** A referenced row must exist and belong to one of the allowed organisations. */
async function assertBelongs(model: typeof Unit | typeof Position | typeof User | typeof Group, id: number | null | undefined, orgIds: number[], field: string, transaction?: Transaction) {
  if (id == null) return;
  const row = (await (model as typeof Unit).findByPk(id, { transaction })) as { organisationId: number } | null;
  if (!row || !orgIds.includes(row.organisationId)) {
    throw unprocessable(`${field} does not refer to a record of this organisation.`, [{ field, message: 'not found in this organisation' }]);
  }
}

export async function createOrganisation(sequelize: Sequelize, input: Record<string, unknown> & { parentId: number }) {
  return sequelize.transaction(async (transaction) => {
    transaction.afterCommit(forgetOrgTree);
    const org = await Organisation.create({ ...input, active: true }, { transaction });
    // Every organisation gets the product's roles as groups, ready for members.
    await Group.bulkCreate(
      ROLE_KEYS.map((key) => ({ organisationId: org.id, key, nameTh: ROLE_NAMES[key][0], nameEn: ROLE_NAMES[key][1] })),
      { transaction },
    );
    await giveDefaultPhrases([org.id], transaction);
    return org;
  });
}

export async function createUnit(sequelize: Sequelize, organisationId: number, input: { parentUnitId?: number | null } & Record<string, unknown>) {
  return sequelize.transaction(async (transaction) => {
    await assertBelongs(Unit, input.parentUnitId, [organisationId], 'parentUnitId', transaction);
    return Unit.create({ ...input, organisationId }, { transaction });
  });
}

export async function updateUnit(sequelize: Sequelize, unit: Unit, input: { parentUnitId?: number | null } & Record<string, unknown>) {
  return sequelize.transaction(async (transaction) => {
    await assertBelongs(Unit, input.parentUnitId, [unit.organisationId], 'parentUnitId', transaction);
    for (let p = input.parentUnitId ?? null, hops = 0; p != null && hops < 1000; hops++) {
      if (p === unit.id) throw unprocessable('A unit cannot sit under itself.', [{ field: 'parentUnitId', message: 'would make a cycle' }]);
      p = (await Unit.findByPk(p, { transaction }))?.parentUnitId ?? null;
    }
    return unit.update(input, { transaction });
  });
}

/** The chain of command may cross into a parent organisation (a provincial head reports to the ministry). */
async function assertReportsTo(position: { id?: number; organisationId: number }, reportsToId: number | null | undefined, transaction: Transaction) {
  if (reportsToId == null) return;
  await assertBelongs(Position, reportsToId, [position.organisationId, ...(await ancestorsOf(position.organisationId))], 'reportsToId', transaction);
  for (let p: number | null = reportsToId, hops = 0; p != null && hops < 1000; hops++) {
    if (p === position.id) throw unprocessable('The chain of command would loop back to this position.', [{ field: 'reportsToId', message: 'would make a cycle' }]);
    p = (await Position.findByPk(p, { transaction }))?.reportsToId ?? null;
  }
}

export async function createPosition(sequelize: Sequelize, organisationId: number, input: { unitId?: number | null; reportsToId?: number | null } & Record<string, unknown>) {
  return sequelize.transaction(async (transaction) => {
    await assertBelongs(Unit, input.unitId, [organisationId], 'unitId', transaction);
    await assertReportsTo({ organisationId }, input.reportsToId, transaction);
    return Position.create({ ...input, organisationId }, { transaction });
  });
}

export async function updatePosition(sequelize: Sequelize, position: Position, input: { unitId?: number | null; reportsToId?: number | null } & Record<string, unknown>) {
  return sequelize.transaction(async (transaction) => {
    await assertBelongs(Unit, input.unitId, [position.organisationId], 'unitId', transaction);
    await assertReportsTo(position, input.reportsToId, transaction);
    return position.update(input, { transaction });
  });
}

/** The chain of command above a position, nearest first. */
export async function chainOfCommand(positionId: number): Promise<Position[]> {
  const chain: Position[] = [];
  let current = await Position.findByPk(positionId);
  while (current?.reportsToId && chain.length < 100) {
    const next = await Position.findByPk(current.reportsToId);
    if (!next || chain.some((p) => p.id === next.id)) break;
    chain.push(next);
    current = next;
  }
  return chain;
}

type UserInput = { password?: string; unitId?: number | null; positionId?: number | null; groupIds?: number[]; active?: boolean } & Record<string, unknown>;

async function assertUserRefs(organisationId: number, input: UserInput, transaction: Transaction) {
  await assertBelongs(Unit, input.unitId, [organisationId], 'unitId', transaction);
  await assertBelongs(Position, input.positionId, [organisationId], 'positionId', transaction);
  for (const g of input.groupIds ?? []) await assertBelongs(Group, g, [organisationId], 'groupIds', transaction);
}

// The secrets custodian (นายทะเบียนเอกสารลับ) reads every secret letter of the organisation, so who
// is given or loses that role is in the audit chain, like the custodian's reads themselves.
const CUSTODIAN = 'secrets_custodian';

/** Appends the grant or removal of the custodian's role when `before` and `after` differ. */
async function auditCustodian(t: Transaction, group: Group, userId: number, before: boolean, after: boolean, actorId: number) {
  if (group.key !== CUSTODIAN || before === after) return;
  await appendAudit(t, {
    organisationId: group.organisationId, entityType: 'group', entityId: group.id, action: after ? 'group.member.added' : 'group.member.removed', actorId,
    data: { group: CUSTODIAN, userId },
  });
}

const custodianGroup = (organisationId: number, transaction: Transaction) => Group.findOne({ where: { organisationId, key: CUSTODIAN }, transaction });
const isMember = async (groupId: number, userId: number, transaction: Transaction) => (await GroupMember.count({ where: { groupId, userId }, transaction })) > 0;

export async function createUser(sequelize: Sequelize, organisationId: number, input: UserInput, actorId: number) {
  const passwordHash = await hashPassword(input.password!);
  return writeTransaction(sequelize, async (transaction) => {
    await assertUserRefs(organisationId, input, transaction);
    const { password: _p, groupIds, ...fields } = input;
    const user = await User.create({ ...fields, organisationId, passwordHash }, { transaction });
    if (groupIds?.length) await GroupMember.bulkCreate([...new Set(groupIds)].map((groupId) => ({ groupId, userId: user.id })), { transaction });
    const custodian = await custodianGroup(organisationId, transaction);
    if (custodian) await auditCustodian(transaction, custodian, user.id, false, (groupIds ?? []).includes(custodian.id), actorId);
    return user;
  });
}

export async function updateUser(sequelize: Sequelize, user: User, input: UserInput, actorId: number) {
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return writeTransaction(sequelize, async (transaction) => {
    await assertUserRefs(user.organisationId, input, transaction);
    const { password: _p, groupIds, ...fields } = input;
    // A new password or a disabled account ends every session of the user.
    const endSessions = passwordHash !== undefined || input.active === false;
    await user.update({ ...fields, ...(passwordHash ? { passwordHash } : {}), ...(endSessions ? { tokenVersion: user.tokenVersion + 1 } : {}) }, { transaction });
    if (endSessions) await revokeAllRefreshTokens(user.id, transaction);
    if (groupIds) {
      const custodian = await custodianGroup(user.organisationId, transaction);
      const wasCustodian = custodian ? await isMember(custodian.id, user.id, transaction) : false;
      await GroupMember.destroy({ where: { userId: user.id }, transaction });
      await GroupMember.bulkCreate([...new Set(groupIds)].map((groupId) => ({ groupId, userId: user.id })), { transaction });
      if (custodian) await auditCustodian(transaction, custodian, user.id, wasCustodian, groupIds.includes(custodian.id), actorId);
    }
    return user;
  });
}

export async function userGroups(userId: number): Promise<Group[]> {
  const rows = await GroupMember.findAll({ where: { userId }, attributes: ['groupId'], raw: true });
  return rows.length ? Group.findAll({ where: { id: { [Op.in]: rows.map((r) => r.groupId) } }, order: [['id', 'ASC']] }) : [];
}

export async function setMembership(sequelize: Sequelize, group: Group, userId: number, member: boolean, actorId: number) {
  return writeTransaction(sequelize, async (transaction) => {
    await assertBelongs(User, userId, [group.organisationId], 'userId', transaction);
    const was = await isMember(group.id, userId, transaction);
    if (member) await GroupMember.findOrCreate({ where: { groupId: group.id, userId }, transaction });
    else await GroupMember.destroy({ where: { groupId: group.id, userId }, transaction });
    await auditCustodian(transaction, group, userId, was, member, actorId);
  });
}

export async function createDelegation(sequelize: Sequelize, organisationId: number, createdById: number, input: { principalPositionId: number; delegateUserId: number; startsAt: string; endsAt?: string | null } & Record<string, unknown>) {
  return sequelize.transaction(async (transaction) => {
    await assertBelongs(Position, input.principalPositionId, [organisationId], 'principalPositionId', transaction);
    await assertBelongs(User, input.delegateUserId, [organisationId], 'delegateUserId', transaction);
    const holder = await User.findOne({ where: { positionId: input.principalPositionId, id: input.delegateUserId }, transaction });
    if (holder) throw unprocessable('A user cannot be delegated the position they already hold.', [{ field: 'delegateUserId', message: 'already holds this position' }]);
    return Delegation.create(
      { ...input, organisationId, createdById, startsAt: new Date(input.startsAt), endsAt: input.endsAt ? new Date(input.endsAt) : null, revokedAt: null },
      { transaction },
    );
  });
}
