// Who hears what: the rooms a signed-in user's sockets join, and the rooms an event goes to.
// Both sides use the same names, so "a socket receives an event" means "the event's audience
// names the user, one of their groups, their unit, a position they hold or act for, or a
// process monitor they may watch" — and nothing else.
import type { Actor } from '../auth/actor';
import type { OutboxRecord } from './tail';

/** Monitors (process statistics) are for executives, administrators and process designers. */
export function mayWatchMonitors(actor: Actor): boolean {
  return actor.roles.has('executive') || actor.roles.has('system_admin') || actor.roles.has('process_designer');
}

/** Process keys are unique only within an organisation, so the monitor room is the organisation's:
 * its managers, and those of the organisations above it, hear every process of it; payloads name
 * the process keys for the client to pick. */
export const monitorsRoom = (organisationId: number | null) => `monitors:${organisationId ?? 0}`;

/** `watched`: the organisations whose monitors the actor may watch (their own and those below it,
 * see monitor/policy.ts); without it, only their own. */
export function roomsFor(actor: Actor, watched: Iterable<number> = [actor.organisationId]): string[] {
  const rooms = [`user:${actor.userId}`];
  for (const id of actor.groupIds) rooms.push(`group:${id}`);
  if (actor.unitId) rooms.push(`unit:${actor.unitId}`);
  for (const c of actor.capacities) rooms.push(`position:${c.positionId}`);
  if (mayWatchMonitors(actor)) for (const id of watched) rooms.push(monitorsRoom(id));
  return [...new Set(rooms)];
}

export function audienceRooms(event: Pick<OutboxRecord, 'audience' | 'organisationId'>): string[] {
  const a = event.audience ?? {};
  const rooms: string[] = [];
  for (const id of a.userIds ?? []) rooms.push(`user:${id}`);
  for (const id of a.groupIds ?? []) rooms.push(`group:${id}`);
  for (const id of a.unitIds ?? []) rooms.push(`unit:${id}`);
  for (const id of a.positionIds ?? []) rooms.push(`position:${id}`);
  if ((a.processKeys ?? []).length) rooms.push(monitorsRoom(event.organisationId));
  return rooms;
}

/** True when the event is addressed to someone in these rooms (replay uses it; live uses the rooms). */
export function addressedTo(event: Pick<OutboxRecord, 'audience' | 'organisationId'>, rooms: Set<string>): boolean {
  return audienceRooms(event).some((room) => rooms.has(room));
}

/** Summary fields that may carry text of a letter: its subject, an endorsement, a note, and a task's
 * name or title (a process may name its tasks from the letter: `เรื่อง: ${document.subject}`). A
 * room is not a list of the letter's readers (a unit, a group, a position; and a draft's secrecy may
 * be raised after its process started), so pushes carry none of it, only ids and plain facts
 * (urgency, due date, status): the client re-reads through the REST API, where
 * documents/present.ts `disclosure` decides what this reader sees. */
const LETTER_TEXT = new Set(['letterSubject', 'documentSubject', 'subject', 'title', 'name', 'endorsement', 'body', 'comment', 'note', 'text']);

function withoutLetterText(summary: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(summary ?? {}).filter(([key]) => !LETTER_TEXT.has(key)));
}

/** What a socket receives: ids and the short summary, never a letter's text; the client re-reads through the REST API. */
export function payloadOf(event: OutboxRecord) {
  return {
    id: event.id,
    type: event.type,
    organisationId: event.organisationId,
    subject: event.subject,
    processKeys: event.audience.processKeys ?? [],
    summary: withoutLetterText(event.summary),
    at: event.createdAt.toISOString(),
  };
}
export type EventPayload = ReturnType<typeof payloadOf>;
