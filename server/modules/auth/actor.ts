// Who is calling: the signed-in user with their organisation, roles, groups, and the positions
// they hold or act for today (delegations), which is what every policy asks about.
import { QueryTypes } from 'sequelize';
import { User, RoleKey, ROLE_KEYS, DelegationCapacity } from '../../db/models';
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

export async function loadActor(userId: number, now = new Date()): Promise<Actor | null> {
  // Every request loads its actor: plain reads of the groups and today's delegations, not nested
  // Sequelize includes (those cost a few milliseconds of CPU per request).
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
