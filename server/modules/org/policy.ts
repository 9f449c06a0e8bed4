// Who may read and change what in the organisation. An organisation's system admin administers
// that organisation and the ones below it (a ministry's admins run its provincial offices);
// nobody administers an organisation outside their own subtree.
import type { Transaction } from 'sequelize';
import { Organisation } from '../../db/models';
import { forbidden } from '../../lib/errors';
import type { Actor } from '../auth/actor';

export async function subtreeOf(rootId: number): Promise<Set<number>> {
  const rows = await Organisation.findAll({ attributes: ['id', 'parentId'], raw: true });
  const children = new Map<number, number[]>();
  for (const r of rows) {
    if (r.parentId == null) continue;
    children.set(r.parentId, [...(children.get(r.parentId) ?? []), r.id]);
  }
  const seen = new Set<number>([rootId]);
  const queue = [rootId];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      queue.push(child);
    }
  }
  return seen;
}

/** Pass the transaction when inside one: a second pooled connection could deadlock the pool. */
export async function ancestorsOf(orgId: number, transaction?: Transaction): Promise<number[]> {
  const rows = await Organisation.findAll({ attributes: ['id', 'parentId'], raw: true, transaction });
  const parent = new Map(rows.map((r) => [r.id, r.parentId as number | null]));
  const out: number[] = [];
  for (let p = parent.get(orgId) ?? null; p != null && !out.includes(p); p = parent.get(p) ?? null) out.push(p);
  return out;
}

export async function administers(actor: Actor, organisationId: number): Promise<boolean> {
  if (!actor.roles.has('system_admin')) return false;
  return (await subtreeOf(actor.organisationId)).has(organisationId);
}

export async function assertAdminister(actor: Actor, organisationId: number): Promise<void> {
  if (!(await administers(actor, organisationId))) {
    throw forbidden('Only a system administrator of this organisation (or of one above it) may change it.');
  }
}

/** Members read their own organisation; administrators read the ones they administer. */
export async function assertRead(actor: Actor, organisationId: number): Promise<void> {
  if (actor.organisationId === organisationId) return;
  if (!(await administers(actor, organisationId))) throw forbidden('This belongs to another organisation.');
}
