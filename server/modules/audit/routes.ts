// Audit REST: verify the organisation's chain (system administrators).
import { Api } from '../../lib/route';
import { z } from '../../lib/openapi';
import { forbidden } from '../../lib/errors';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import { verifyChain } from './service';

export function registerAuditRoutes(api: Api<Actor>, ctx: AppContext): void {
  void ctx;
  api.route({
    method: 'get', path: '/audit/verify', tag: 'Audit', summary: "Verify your organisation's audit chain; reports the first broken link",
    response: z.object({ ok: z.boolean(), checked: z.number(), firstBroken: z.object({ id: z.number(), seq: z.number(), reason: z.string() }).nullable() }).openapi('AuditChainReport'),
    handler: async ({ actor }) => {
      if (!actor.roles.has('system_admin') && !actor.roles.has('secrets_custodian')) throw forbidden('Only a system administrator or the secrets custodian verifies the audit chain.');
      return verifyChain(actor.organisationId);
    },
  });
}
