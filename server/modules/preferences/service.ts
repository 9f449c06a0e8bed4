// A person's saved inbox filters: theirs alone, one name each, a bounded number.
import { z } from '../../lib/openapi';
import { SavedFilter } from '../../db/models';
import { conflict, notFound, unprocessable } from '../../lib/errors';
import type { Actor } from '../auth/actor';
import * as S from './schemas';

export const MAX_SAVED_FILTERS = 50;

export function presentSavedFilter(f: SavedFilter) {
  // A filter saved under an older shape still lists (as the plain inbox) instead of failing the whole list.
  const filters = S.InboxFilters.safeParse(JSON.parse(f.filters));
  return { id: Number(f.id), name: f.name, filters: filters.success ? filters.data : { tab: 'mine' as const }, createdAt: new Date(f.createdAt).toISOString() };
}

export const listSavedFilters = (actor: Actor) => SavedFilter.findAll({ where: { userId: actor.userId }, order: [['name', 'ASC']] });

export async function saveFilter(actor: Actor, input: z.output<typeof S.SavedFilterCreate>): Promise<SavedFilter> {
  if ((await SavedFilter.count({ where: { userId: actor.userId } })) >= MAX_SAVED_FILTERS) {
    throw unprocessable(`You can keep at most ${MAX_SAVED_FILTERS} saved filters; delete one first.`);
  }
  try {
    return await SavedFilter.create({ userId: actor.userId, name: input.name, filters: JSON.stringify(input.filters) });
  } catch (err) {
    if ((err as Error).name === 'SequelizeUniqueConstraintError') throw conflict(`You already have a saved filter named "${input.name}".`, [{ field: 'name', message: 'already used' }]);
    throw err;
  }
}

export async function deleteFilter(actor: Actor, id: number): Promise<void> {
  const removed = await SavedFilter.destroy({ where: { id, userId: actor.userId } });
  if (!removed) throw notFound('Saved filter');
}
