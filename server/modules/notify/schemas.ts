import { z } from '../../lib/openapi';

export const NotificationSettings = z
  .object({
    email: z.boolean().openapi({ description: 'Send me e-mail about tasks assigned to me, escalations and group digests.' }),
    emailAddress: z.string().nullable().openapi({ description: 'Where the e-mail goes (set by an administrator).' }),
  })
  .openapi('NotificationSettings');

export const NotificationSettingsUpdate = z.object({ email: z.boolean() }).strict().openapi('NotificationSettingsUpdate');
