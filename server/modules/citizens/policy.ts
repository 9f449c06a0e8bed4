// Who sees what of the citizens' channel.
// - The public (no account): its own submission, opened with the tracking code AND the e-mail or the
//   last 4 ID digits; never internal endorsements, officials' names beyond the unit, or others' data.
// - The citizen's personal data (ID hash and last 4, address, phone, e-mail): the registry clerks of
//   the organisation written to. The letter itself (subject, text, the citizen's name as sender)
//   goes into the tray and, once accepted, into the routing like any incoming letter.
// - The monitor's counts (no personal data): the organisation's managers and its clerks.
import { forbidden } from '../../lib/errors';
import type { Actor } from '../auth/actor';
import { mayWatchMonitors } from '../notify/rooms';

export function assertClerkOf(actor: Actor, organisationId: number): void {
  if (actor.organisationId !== organisationId || !actor.roles.has('registry_clerk')) {
    throw forbidden('เฉพาะเจ้าหน้าที่สารบรรณของหน่วยงาน (Only the registry clerks of the organisation see citizens\' requests.)');
  }
}

export function assertMayMonitor(actor: Actor): void {
  if (!mayWatchMonitors(actor) && !actor.roles.has('registry_clerk')) throw forbidden('Only managers and registry clerks see the counts of citizens\' requests.');
}
