// Who may read and change what in the organisation. An organisation's system admin administers
// that organisation and the ones below it (a ministry's admins run its provincial offices);
// nobody administers an organisation outside their own subtree.
import type { Transaction } from 'sequelize';
import { Organisation } from '../../db/models';
import { forbidden } from '../../lib/errors';
import type { Actor } from '../auth/actor';

/**
 * The organisation tree, kept in memory. An organisation's parent never changes once it exists (the
 * API has no move), so a kept tree can only lack organisations created since: it is read again when
 * asked about an organisation it does not know, when this process creates one, and after
 * TREE_MAX_AGE_MS (one created by another server process).
 */
interface OrgTree {
  parent: Map<number, number | null>;
  children: Map<number, number[]>;
  readAt: number;
}

const TREE_MAX_AGE_MS = 10_000;
let tree: OrgTree | null = null;

async function orgTree(about: number, transaction?: Transaction): Promise<OrgTree> {
  if (tree && tree.parent.has(about) && Date.now() - tree.readAt < TREE_MAX_AGE_MS) return tree;
  const rows = await Organisation.findAll({ attributes: ['id', 'parentId'], raw: true, transaction });
  const parent = new Map<number, number | null>();
  const children = new Map<number, number[]>();
  for (const r of rows) {
    parent.set(Number(r.id), r.parentId == null ? null : Number(r.parentId));
    if (r.parentId != null) children.set(Number(r.parentId), [...(children.get(Number(r.parentId)) ?? []), Number(r.id)]);
  }
  tree = { parent, children, readAt: Date.now() };
  return tree;
}

/** Called after this process creates an organisation. */
export function forgetOrgTree(): void {
  tree = null;
}

/** The organisation and all those below it. */
export async function subtreeOf(rootId: number, transaction?: Transaction): Promise<Set<number>> {
  const { children } = await orgTree(rootId, transaction);
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

/** The organisations above this one, nearest first. Pass the transaction when inside one: a
 * second pooled connection could deadlock the pool. */
export async function ancestorsOf(orgId: number, transaction?: Transaction): Promise<number[]> {
  const { parent } = await orgTree(orgId, transaction);
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
