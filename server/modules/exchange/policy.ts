// Who manages the exchange: the directory of agencies elsewhere, the deployment's exchange identity,
// the refused inbound requests and the outbox to peers belong to the whole deployment, so only the
// system administrators at the top of the organisation tree manage them: a system administrator
// no organisation above whom has an active administrator (a ministry whose own organisation holds
// no accounts leaves it to its central office's administrators, as in the demo). Clerks never see an
// unverified inbound request; they see verified letters in their tray like any other.
import { Op } from 'sequelize';
import { Group, User } from '../../db/models';
import { forbidden } from '../../lib/errors';
import type { Actor } from '../auth/actor';
import { ancestorsOf } from '../org/policy';

export async function isExchangeAdmin(actor: Actor): Promise<boolean> {
  if (!actor.roles.has('system_admin')) return false;
  const above = await ancestorsOf(actor.organisationId);
  if (!above.length) return true;
  const admins = await Group.count({
    where: { organisationId: { [Op.in]: above }, key: 'system_admin' },
    include: [{ model: User, as: 'members', where: { active: true }, attributes: [], required: true }],
  });
  return admins === 0;
}

export async function assertExchangeAdmin(actor: Actor): Promise<void> {
  if (!(await isExchangeAdmin(actor))) throw forbidden('เฉพาะผู้ดูแลระบบของหน่วยงานระดับบนสุด (Only a system administrator at the top of the organisation tree manages the exchange.)');
}
