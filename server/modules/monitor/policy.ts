// Who may watch which processes. Executives, administrators and process designers of an
// organisation watch the processes of that organisation and of the organisations below it (a
// ministry's managers see its provincial offices), never a parent's or a sibling's. The live
// side follows the same rule: their sockets join the monitor room of each organisation they
// may watch (notify/rooms.ts).
import { forbidden } from '../../lib/errors';
import type { Actor } from '../auth/actor';
import { mayWatchMonitors } from '../notify/rooms';
import { subtreeOf } from '../org/policy';

export { mayWatchMonitors };

/** The organisations the actor may watch (403 for anyone who is not a manager). */
export async function watchableOrganisations(actor: Actor): Promise<Set<number>> {
  if (!mayWatchMonitors(actor)) throw forbidden('The monitor is for executives, administrators and process designers.');
  return subtreeOf(actor.organisationId);
}

/**
 * The organisations one monitor view covers: the chosen organisation and those below it, or
 * everything the actor may watch. An organisation outside the actor's subtree is refused.
 */
export async function watchScope(actor: Actor, organisationId?: number): Promise<number[]> {
  const watchable = await watchableOrganisations(actor);
  if (organisationId === undefined) return [...watchable];
  if (!watchable.has(organisationId)) throw forbidden('You may watch only your own organisation and the organisations below it.');
  return [...(await subtreeOf(organisationId))];
}

export async function assertWatch(actor: Actor, organisationId: number): Promise<void> {
  if (!(await watchableOrganisations(actor)).has(organisationId)) throw forbidden('This process belongs to an organisation you may not watch.');
}
