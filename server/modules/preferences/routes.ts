// My saved inbox filters (GET/POST /me/saved-filters, DELETE /me/saved-filters/:id).
import { Api, idParam } from '../../lib/route';
import { z } from '../../lib/openapi';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import * as S from './schemas';
import * as svc from './service';

const TAG = 'Preferences';

export function registerPreferenceRoutes(api: Api<Actor>, _ctx: AppContext): void {
  api.route({
    method: 'get', path: '/me/saved-filters', tag: TAG, summary: 'My saved inbox filters, by name', response: z.object({ items: z.array(S.SavedFilter) }),
    handler: async ({ actor }) => ({ items: (await svc.listSavedFilters(actor)).map(svc.presentSavedFilter) }),
  });
  api.route({
    method: 'post', path: '/me/saved-filters', tag: TAG, summary: 'Save the current inbox filters under a name (409 if the name is taken)',
    body: S.SavedFilterCreate, status: 201, response: S.SavedFilter,
    handler: async ({ body, actor }) => svc.presentSavedFilter(await svc.saveFilter(actor, body)),
  });
  api.route({
    method: 'delete', path: '/me/saved-filters/:id', tag: TAG, summary: 'Delete one of my saved filters', params: idParam, status: 204,
    handler: async ({ params, actor }) => {
      await svc.deleteFilter(actor, params.id);
    },
  });
}
