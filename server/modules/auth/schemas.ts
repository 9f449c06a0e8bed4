import { z } from '../../lib/openapi';

export const LoginBody = z
  .object({
    username: z.string().trim().min(1).max(64).openapi({ example: 'saraban.clerk' }),
    password: z.string().min(1).max(1024).openapi({ example: 'saraban-demo' }),
  })
  .strict()
  .openapi('LoginRequest');

export const RefreshBody = z
  .object({ refreshToken: z.string().min(10).max(200).optional().openapi({ description: 'Leave out to use the web app\'s cookie (needs X-Saraban-Session: cookie).' }) })
  .strict()
  .optional()
  .openapi('RefreshRequest');

export const LogoutBody = z
  .object({
    refreshToken: z.string().min(10).max(200).optional(),
    everywhere: z.boolean().optional().openapi({ description: 'End every session of this user on every device.' }),
  })
  .strict()
  .openapi('LogoutRequest');

export const PasswordBody = z
  .object({
    currentPassword: z.string().min(1).max(1024),
    newPassword: z.string().min(10, 'รหัสผ่านใหม่ต้องมีอย่างน้อย 10 ตัวอักษร').max(1024),
  })
  .strict()
  .openapi('PasswordChangeRequest');

export const TokenPair = z
  .object({
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().openapi({ description: 'Seconds until the access token expires.' }),
    refreshToken: z.string().optional().openapi({ description: 'Absent when the request had X-Saraban-Session: cookie: then it is set as an httpOnly cookie instead.' }),
  })
  .openapi('TokenPair');

export const CapacitySchema = z
  .object({
    positionId: z.number().int(),
    capacity: z.enum(['self', 'acting_for', 'acting_in_post']).openapi({ description: 'self; acting_for = ปฏิบัติราชการแทน; acting_in_post = รักษาราชการแทน' }),
    delegationId: z.number().int().optional(),
    positionTitleTh: z.string().optional(),
  })
  .openapi('Capacity');
