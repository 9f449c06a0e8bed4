// A user's own notification settings: e-mail on or off.
import { Api } from '../../lib/route';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import * as S from './schemas';

const TAG = 'Notifications';

export function registerNotifyRoutes(api: Api<Actor>, _ctx: AppContext): void {
  const present = (actor: Actor) => ({ email: actor.user.emailNotifications, emailAddress: actor.user.email });
  api.route({
    method: 'get', path: '/me/notifications', tag: TAG, summary: 'My notification settings', response: S.NotificationSettings,
    handler: async ({ actor }) => present(actor),
  });
  api.route({
    method: 'put', path: '/me/notifications', tag: TAG, summary: 'Turn my e-mail notifications on or off (live updates stay on)',
    body: S.NotificationSettingsUpdate, response: S.NotificationSettings,
    handler: async ({ actor, body }) => {
      await actor.user.update({ emailNotifications: body.email });
      return present(actor);
    },
  });
}
