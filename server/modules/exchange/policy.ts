// Who manages the exchange: the directory of agencies elsewhere, the deployment's exchange identity,
// the refused inbound requests and the outbox to peers belong to the whole deployment, so only a
// system administrator of a top organisation (one without a parent) manages them. Clerks never see
// an unverified inbound request; they see verified letters in their tray like any other.
import { Organisation } from '../../db/models';
import { forbidden } from '../../lib/errors';
import type { Actor } from '../auth/actor';

export async function assertExchangeAdmin(actor: Actor): Promise<void> {
  if (actor.roles.has('system_admin')) {
    const org = await Organisation.findByPk(actor.organisationId, { attributes: ['id', 'parentId'] });
    if (org && org.parentId == null) return;
  }
  throw forbidden('เฉพาะผู้ดูแลระบบของหน่วยงานระดับบนสุด (Only a system administrator of the top organisation manages the exchange.)');
}
