// A user's own notification settings (e-mail on or off), and a test push to check the connection.
import { Api } from '../../lib/route';
import { recordEvent } from '../events/outbox';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import * as S from './schemas';

const TAG = 'Notifications';

export function registerNotifyRoutes(api: Api<Actor>, ctx: AppContext): void {
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
  api.route({
    method: 'post', path: '/me/notifications/test', tag: TAG, status: 202,
    summary: 'Send myself a test notification (ทดสอบการแจ้งเตือน): it arrives on every screen where I am signed in',
    handler: async ({ actor }) => {
      await ctx.db.sequelize.transaction((transaction) =>
        recordEvent(transaction, {
          type: 'notification.test', organisationId: actor.organisationId, subject: { type: 'user', id: actor.userId },
          audience: { userIds: [actor.userId] }, summary: { titleTh: 'ทดสอบการแจ้งเตือน', title: 'Test notification' },
        }),
      );
      return { queued: true };
    },
  });
}
