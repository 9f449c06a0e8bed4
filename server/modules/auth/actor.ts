// Who is calling: the signed-in user with their organisation, roles, groups, and the positions
// they hold or act for today (delegations), which is what every policy asks about.
import { Op } from 'sequelize';
import { User, Group, Delegation, Position, RoleKey, ROLE_KEYS, DelegationCapacity } from '../../db/models';

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
  const user = await User.findByPk(userId, { include: [{ model: Group, as: 'groups', through: { attributes: [] } }] });
  if (!user || !user.active) return null;
  const groups = (user.get('groups') as Group[]) ?? [];
  const delegations = await Delegation.findAll({
    where: {
      delegateUserId: userId,
      revokedAt: null,
      startsAt: { [Op.lte]: now },
      [Op.or]: [{ endsAt: null }, { endsAt: { [Op.gt]: now } }],
    },
    include: [{ model: Position, as: 'principalPosition', attributes: ['id', 'titleTh'] }],
  });
  const capacities: Capacity[] = [];
  if (user.positionId) capacities.push({ positionId: user.positionId, capacity: 'self' });
  for (const d of delegations) {
    const position = d.get('principalPosition') as Position | undefined;
    capacities.push({ positionId: d.principalPositionId, capacity: d.capacity, delegationId: d.id, positionTitleTh: position?.titleTh });
  }
  return {
    user,
    userId: user.id,
    organisationId: user.organisationId,
    unitId: user.unitId,
    roles: new Set(groups.map((g) => g.key).filter((k): k is RoleKey => (ROLE_KEYS as readonly string[]).includes(k))),
    groupIds: groups.map((g) => g.id),
    capacities,
  };
}
