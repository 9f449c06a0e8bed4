// Who is calling: the signed-in user with their organisation, roles, groups, and the positions
// they hold or act for today (delegations), which is what every policy asks about.
import { QueryTypes, Transaction } from 'sequelize';
import { LRUCache } from 'lru-cache';
import { Delegation, Group, GroupMember, User, RoleKey, ROLE_KEYS, DelegationCapacity } from '../../db/models';
import { sqlDate } from '../../db/transaction';

export interface Capacity {
  positionId: number;
  /** 'self' for the position the user holds; otherwise the delegation's capacity. */
  capacity: 'self' | DelegationCapacity;
  delegationId?: number;
  positionTitleTh?: string;
}

export interface Actor {
  user: User;
  userId: number;
  organisationId: number;
  unitId: number | null;
  roles: Set<RoleKey>;
  groupIds: number[];
  capacities: Capacity[];
}

/**
 * Actors are kept for ACTOR_MAX_AGE_MS: every request needs one, and reading the user, their groups
 * and delegations was three statements of every command. A change made through this process (a
 * user, a group membership, a delegation, a sign-out) forgets them at once; one made by another
 * server process is seen within ACTOR_MAX_AGE_MS.
 */
export const ACTOR_MAX_AGE_MS = 5_000;
const actors = new LRUCache<number, Actor>({ max: 10_000, ttl: ACTOR_MAX_AGE_MS });

export function forgetActors(): void {
  actors.clear();
}

/** Forgets one user's kept actor (their sessions ended through another server process). */
export function forgetActor(userId: number): void {
  actors.delete(userId);
}

let watching = false;

/** Whose actor a changed row is part of (null: anyone's, e.g. a group's key). */
const ownerOf = (row: unknown): number | null => {
  if (row instanceof User) return row.id;
  if (row instanceof GroupMember) return row.userId;
  if (row instanceof Delegation) return row.delegateUserId;
  return null;
};

/**
 * Forgets kept actors whenever what they are made of changes, and again once the change commits: the
 * one person a row belongs to (a sign-in's lastLoginAt forgets only that user), everyone otherwise.
 */
export function watchActorSources(): void {
  if (watching) return;
  watching = true;
  const forget = (userId: number | null, options?: { transaction?: Transaction | null }) => {
    const drop = () => {
      if (userId === null) actors.clear();
      else actors.delete(userId);
    };
    drop();
    options?.transaction?.afterCommit(drop);
  };
  for (const model of [User, Group, GroupMember, Delegation] as unknown as Array<typeof User>) {
    model.afterSave((row, options) => forget(ownerOf(row), options));
    model.afterDestroy((row, options) => forget(ownerOf(row), options));
    model.afterBulkCreate((_, options) => forget(null, options));
    model.afterBulkUpdate((options) => forget(null, options));
    model.afterBulkDestroy((options) => forget(null, options));
  }
}

export async function loadActor(userId: number): Promise<Actor | null> {
  const kept = actors.get(userId);
  if (kept) return kept;
  const actor = await readActor(userId, new Date());
  if (actor) actors.set(userId, actor);
  return actor;
}

async function readActor(userId: number, now: Date): Promise<Actor | null> {
  // Plain reads of the groups and today's delegations, not nested Sequelize includes (those cost a
  // few milliseconds of CPU each time).
  const user = await User.findByPk(userId);
  if (!user || !user.active) return null;
  const sequelize = User.sequelize!;
  const [groups, delegations] = await Promise.all([
    sequelize.query<{ id: number; key: string }>('SELECT g.id, g.`key` FROM group_members m JOIN `groups` g ON g.id = m.groupId WHERE m.userId = :userId', { replacements: { userId }, type: QueryTypes.SELECT }),
    sequelize.query<{ id: number; principalPositionId: number; capacity: DelegationCapacity; titleTh: string | null }>(
      `SELECT d.id, d.principalPositionId, d.capacity, p.titleTh FROM delegations d LEFT JOIN positions p ON p.id = d.principalPositionId
       WHERE d.delegateUserId = :userId AND d.revokedAt IS NULL AND d.startsAt <= :now AND (d.endsAt IS NULL OR d.endsAt > :now) ORDER BY d.id`,
      { replacements: { userId, now: sqlDate(sequelize, now) }, type: QueryTypes.SELECT },
    ),
  ]);
  const capacities: Capacity[] = [];
  if (user.positionId) capacities.push({ positionId: user.positionId, capacity: 'self' });
  for (const d of delegations) {
    capacities.push({ positionId: Number(d.principalPositionId), capacity: d.capacity, delegationId: Number(d.id), positionTitleTh: d.titleTh ?? undefined });
  }
  return {
    user,
    userId: user.id,
    organisationId: user.organisationId,
    unitId: user.unitId,
    roles: new Set(groups.map((g) => g.key).filter((k): k is RoleKey => (ROLE_KEYS as readonly string[]).includes(k))),
    groupIds: groups.map((g) => Number(g.id)),
    capacities,
  };
}
