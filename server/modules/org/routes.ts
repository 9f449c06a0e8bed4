// Admin REST endpoints of the organisation: agencies, units, positions, users, groups, delegations.
import { Op } from 'sequelize';
import { Api, idParam, orgIdParam } from '../../lib/route';
import { z } from '../../lib/openapi';
import { forbidden, unprocessable } from '../../lib/errors';
import { Organisation, Unit, Position, Group, User, Delegation, MinistryCode, GroupMember } from '../../db/models';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import * as S from './schemas';
import * as svc from './service';
import { assertAdminister, assertRead } from './policy';

const TAG = 'Organisation';

export function registerOrgRoutes(api: Api<Actor>, ctx: AppContext): void {
  const { sequelize } = ctx.db;

  api.route({
    method: 'get', path: '/code-lists/ministries', tag: TAG, summary: 'Ministry letter codes (นร, มท, สธ, …)',
    response: S.listOf(S.MinistryCode),
    handler: async () => ({ items: (await MinistryCode.findAll({ order: [['code', 'ASC']] })).map((m) => m.toJSON()) }),
  });

  // The directory of agencies is public within the system: letters are addressed to them.
  api.route({
    method: 'get', path: '/organisations', tag: TAG, summary: 'Directory of organisations (names, codes, hierarchy)',
    query: z.object({ q: z.string().trim().max(100).optional(), parentId: z.coerce.number().int().positive().optional() }),
    response: S.listOf(S.Organisation),
    handler: async ({ query }) => {
      const where: Record<string | symbol, unknown> = {};
      if (query.parentId) where.parentId = query.parentId;
      if (query.q) where[Op.or] = [{ nameTh: { [Op.like]: `%${query.q}%` } }, { agencyCode: { [Op.like]: `%${query.q}%` } }, { nameEn: { [Op.like]: `%${query.q}%` } }];
      return { items: (await Organisation.findAll({ where, order: [['id', 'ASC']], limit: 500 })).map(svc.presentOrganisation) };
    },
  });

  api.route({
    method: 'get', path: '/organisations/:id', tag: TAG, summary: 'One organisation', params: idParam, response: S.Organisation,
    handler: async ({ params }) => svc.presentOrganisation(await svc.findOr404(Organisation, params.id, 'Organisation')),
  });

  api.route({
    method: 'post', path: '/organisations', tag: TAG, summary: 'Create an organisation below one you administer',
    body: S.OrganisationCreate, status: 201, response: S.Organisation,
    handler: async ({ body, actor }) => {
      if (body.parentId == null) throw forbidden('Top-level organisations are created by the seeders or the operator, not through the API.');
      await svc.findOr404(Organisation, body.parentId, 'Parent organisation');
      await assertAdminister(actor, body.parentId);
      if (body.ministryCode && !(await MinistryCode.findByPk(body.ministryCode))) throw unprocessable('Unknown ministry code.', [{ field: 'ministryCode', message: 'not in the ministry code list' }]);
      return svc.presentOrganisation(await svc.createOrganisation(sequelize, { ...body, parentId: body.parentId }));
    },
  });

  api.route({
    method: 'patch', path: '/organisations/:id', tag: TAG, summary: 'Change an organisation', params: idParam, body: S.OrganisationUpdate, response: S.Organisation,
    handler: async ({ params, body, actor }) => {
      const org = await svc.findOr404(Organisation, params.id, 'Organisation');
      await assertAdminister(actor, org.id);
      if (body.ministryCode && !(await MinistryCode.findByPk(body.ministryCode))) throw unprocessable('Unknown ministry code.', [{ field: 'ministryCode', message: 'not in the ministry code list' }]);
      return svc.presentOrganisation(await org.update(body));
    },
  });

  // Units
  api.route({
    method: 'get', path: '/organisations/:orgId/units', tag: TAG, summary: 'Units (กอง, กลุ่มงาน) of an organisation', params: orgIdParam, response: S.listOf(S.Unit),
    handler: async ({ params, actor }) => {
      await svc.findOr404(Organisation, params.orgId, 'Organisation');
      await assertRead(actor, params.orgId);
      return { items: (await Unit.findAll({ where: { organisationId: params.orgId }, order: [['id', 'ASC']] })).map(svc.presentUnit) };
    },
  });
  api.route({
    method: 'post', path: '/organisations/:orgId/units', tag: TAG, summary: 'Create a unit', params: orgIdParam, body: S.UnitCreate, status: 201, response: S.Unit,
    handler: async ({ params, body, actor }) => {
      await svc.findOr404(Organisation, params.orgId, 'Organisation');
      await assertAdminister(actor, params.orgId);
      return svc.presentUnit(await svc.createUnit(sequelize, params.orgId, body));
    },
  });
  api.route({
    method: 'patch', path: '/units/:id', tag: TAG, summary: 'Change a unit', params: idParam, body: S.UnitUpdate, response: S.Unit,
    handler: async ({ params, body, actor }) => {
      const unit = await svc.findOr404(Unit, params.id, 'Unit');
      await assertAdminister(actor, unit.organisationId);
      return svc.presentUnit(await svc.updateUnit(sequelize, unit, body));
    },
  });

  // Positions and the chain of command
  api.route({
    method: 'get', path: '/organisations/:orgId/positions', tag: TAG, summary: 'Positions of an organisation', params: orgIdParam, response: S.listOf(S.Position),
    handler: async ({ params, actor }) => {
      await svc.findOr404(Organisation, params.orgId, 'Organisation');
      await assertRead(actor, params.orgId);
      return { items: (await Position.findAll({ where: { organisationId: params.orgId }, order: [['id', 'ASC']] })).map(svc.presentPosition) };
    },
  });
  api.route({
    method: 'post', path: '/organisations/:orgId/positions', tag: TAG, summary: 'Create a position', params: orgIdParam, body: S.PositionCreate, status: 201, response: S.Position,
    handler: async ({ params, body, actor }) => {
      await svc.findOr404(Organisation, params.orgId, 'Organisation');
      await assertAdminister(actor, params.orgId);
      return svc.presentPosition(await svc.createPosition(sequelize, params.orgId, body));
    },
  });
  api.route({
    method: 'patch', path: '/positions/:id', tag: TAG, summary: 'Change a position (title, unit, whom it reports to)', params: idParam, body: S.PositionUpdate, response: S.Position,
    handler: async ({ params, body, actor }) => {
      const position = await svc.findOr404(Position, params.id, 'Position');
      await assertAdminister(actor, position.organisationId);
      return svc.presentPosition(await svc.updatePosition(sequelize, position, body));
    },
  });
  api.route({
    method: 'get', path: '/positions/:id/chain', tag: TAG, summary: 'The chain of command above a position, nearest first', params: idParam, response: S.listOf(S.Position),
    handler: async ({ params, actor }) => {
      const position = await svc.findOr404(Position, params.id, 'Position');
      await assertRead(actor, position.organisationId);
      return { items: (await svc.chainOfCommand(position.id)).map(svc.presentPosition) };
    },
  });

  // Users
  api.route({
    method: 'get', path: '/organisations/:orgId/users', tag: TAG, summary: 'Users of an organisation', params: orgIdParam,
    query: z.object({ q: z.string().trim().max(100).optional(), unitId: z.coerce.number().int().positive().optional() }),
    response: S.listOf(S.User),
    handler: async ({ params, query, actor }) => {
      await svc.findOr404(Organisation, params.orgId, 'Organisation');
      await assertRead(actor, params.orgId);
      const where: Record<string | symbol, unknown> = { organisationId: params.orgId };
      if (query.unitId) where.unitId = query.unitId;
      if (query.q) where[Op.or] = ['username', 'firstNameTh', 'lastNameTh', 'nameEn'].map((f) => ({ [f]: { [Op.like]: `%${query.q}%` } }));
      return { items: (await User.findAll({ where, order: [['id', 'ASC']], limit: 1000 })).map((u) => svc.presentUser(u)) };
    },
  });
  api.route({
    method: 'post', path: '/organisations/:orgId/users', tag: TAG, summary: 'Create a user', params: orgIdParam, body: S.UserCreate, status: 201, response: S.User,
    handler: async ({ params, body, actor }) => {
      await svc.findOr404(Organisation, params.orgId, 'Organisation');
      await assertAdminister(actor, params.orgId);
      const user = await svc.createUser(sequelize, params.orgId, body, actor.userId);
      return svc.presentUser(user, await svc.userGroups(user.id));
    },
  });
  api.route({
    method: 'get', path: '/users/:id', tag: TAG, summary: 'One user', params: idParam, response: S.User,
    handler: async ({ params, actor }) => {
      const user = await svc.findOr404(User, params.id, 'User');
      await assertRead(actor, user.organisationId);
      return svc.presentUser(user, await svc.userGroups(user.id));
    },
  });
  api.route({
    method: 'patch', path: '/users/:id', tag: TAG, summary: 'Change a user (a new password or deactivation ends their sessions)', params: idParam, body: S.UserUpdate, response: S.User,
    handler: async ({ params, body, actor }) => {
      const user = await svc.findOr404(User, params.id, 'User');
      await assertAdminister(actor, user.organisationId);
      if (user.id === actor.userId && body.active === false) throw unprocessable('You cannot deactivate your own account.');
      await svc.updateUser(sequelize, user, body, actor.userId);
      return svc.presentUser(user, await svc.userGroups(user.id));
    },
  });

  // Groups and roles
  api.route({
    method: 'get', path: '/organisations/:orgId/groups', tag: TAG, summary: 'Groups and roles of an organisation', params: orgIdParam, response: S.listOf(S.Group),
    handler: async ({ params, actor }) => {
      await svc.findOr404(Organisation, params.orgId, 'Organisation');
      await assertRead(actor, params.orgId);
      return { items: (await Group.findAll({ where: { organisationId: params.orgId }, order: [['id', 'ASC']] })).map(svc.presentGroup) };
    },
  });
  api.route({
    method: 'post', path: '/organisations/:orgId/groups', tag: TAG, summary: 'Create a work group', params: orgIdParam, body: S.GroupCreate, status: 201, response: S.Group,
    handler: async ({ params, body, actor }) => {
      await svc.findOr404(Organisation, params.orgId, 'Organisation');
      await assertAdminister(actor, params.orgId);
      return svc.presentGroup(await Group.create({ ...body, organisationId: params.orgId }));
    },
  });
  api.route({
    method: 'patch', path: '/groups/:id', tag: TAG, summary: 'Rename a group', params: idParam, body: S.GroupUpdate, response: S.Group,
    handler: async ({ params, body, actor }) => {
      const group = await svc.findOr404(Group, params.id, 'Group');
      await assertAdminister(actor, group.organisationId);
      return svc.presentGroup(await group.update(body));
    },
  });
  api.route({
    method: 'get', path: '/groups/:id/members', tag: TAG, summary: 'Members of a group', params: idParam, response: S.listOf(S.User),
    handler: async ({ params, actor }) => {
      const group = await svc.findOr404(Group, params.id, 'Group');
      await assertRead(actor, group.organisationId);
      const ids = (await GroupMember.findAll({ where: { groupId: group.id }, raw: true })).map((m) => m.userId);
      return { items: (await User.findAll({ where: { id: { [Op.in]: ids } }, order: [['id', 'ASC']] })).map((u) => svc.presentUser(u)) };
    },
  });
  const memberParams = z.object({ id: idParam.shape.id, userId: idParam.shape.id });
  for (const [method, member] of [['put', true], ['delete', false]] as const) {
    api.route({
      method, path: '/groups/:id/members/:userId', tag: TAG, summary: member ? 'Add a user to a group' : 'Remove a user from a group', params: memberParams, status: 204,
      handler: async ({ params, actor }) => {
        const group = await svc.findOr404(Group, params.id, 'Group');
        await assertAdminister(actor, group.organisationId);
        if (!member && group.key === 'system_admin' && params.userId === actor.userId) throw unprocessable('You cannot remove yourself from the administrators.');
        await svc.setMembership(sequelize, group, params.userId, member, actor.userId);
      },
    });
  }

  // Delegations: ปฏิบัติราชการแทน / รักษาราชการแทน
  api.route({
    method: 'get', path: '/organisations/:orgId/delegations', tag: TAG, summary: 'Delegations of authority in an organisation', params: orgIdParam,
    query: z.object({ activeOnly: z.enum(['true', 'false']).optional() }), response: S.listOf(S.Delegation),
    handler: async ({ params, query, actor }) => {
      await svc.findOr404(Organisation, params.orgId, 'Organisation');
      await assertRead(actor, params.orgId);
      const rows = await Delegation.findAll({ where: { organisationId: params.orgId }, order: [['startsAt', 'DESC'], ['id', 'DESC']] });
      const items = rows.map((d) => svc.presentDelegation(d));
      return { items: query.activeOnly === 'true' ? items.filter((d) => d.active) : items };
    },
  });
  api.route({
    method: 'post', path: '/organisations/:orgId/delegations', tag: TAG, summary: 'Appoint a user to act for a position', params: orgIdParam, body: S.DelegationCreate, status: 201, response: S.Delegation,
    handler: async ({ params, body, actor }) => {
      await svc.findOr404(Organisation, params.orgId, 'Organisation');
      await assertAdminister(actor, params.orgId);
      return svc.presentDelegation(await svc.createDelegation(sequelize, params.orgId, actor.userId, body));
    },
  });
  api.route({
    method: 'post', path: '/delegations/:id/revoke', tag: TAG, summary: 'End a delegation now', params: idParam, response: S.Delegation,
    handler: async ({ params, actor }) => {
      const delegation = await svc.findOr404(Delegation, params.id, 'Delegation');
      await assertAdminister(actor, delegation.organisationId);
      if (!delegation.revokedAt) await delegation.update({ revokedAt: new Date(), revokedById: actor.userId });
      return svc.presentDelegation(delegation);
    },
  });
}
