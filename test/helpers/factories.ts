// Small factories for test data, and sign-in helpers.
import crypto from 'node:crypto';
import request from 'supertest';
import { Organisation, Group, GroupMember, User, Unit, Position, RefreshToken, RoleKey, ROLE_KEYS } from '../../server/db/models';
import { ROTATION_GRACE_MS } from '../../server/modules/auth/tokens';
import { createOrganisation } from '../../server/modules/org/service';
import { hashPassword } from '../../server/modules/auth/passwords';
import { testEnv } from './env';

export const DEMO_PASSWORD = 'saraban-demo';
export const unique = (prefix = 'x') => `${prefix}${crypto.randomBytes(4).toString('hex')}`;

let cachedHash: Promise<string> | undefined;
const passwordHashFor = (password: string) => (password === DEMO_PASSWORD ? (cachedHash ??= hashPassword(DEMO_PASSWORD)) : hashPassword(password));

export async function buildOrganisation(fields: Partial<{ parentId: number | null; nameTh: string; kind: string }> = {}): Promise<Organisation> {
  const code = unique('ทดสอบ ');
  if (fields.parentId) return createOrganisation(testEnv().ctx.db.sequelize, { kind: 'department', nameTh: `หน่วยงานทดสอบ ${code}`, agencyCode: code, ...fields } as never);
  // A top-level organisation (a second ministry) cannot be made through the API.
  const org = await Organisation.create({ parentId: null, kind: 'ministry', nameTh: `กระทรวงทดสอบ ${code}`, agencyCode: code, active: true, ...fields });
  await Group.bulkCreate(ROLE_KEYS.map((key) => ({ organisationId: org.id, key, nameTh: key })));
  return org;
}

export async function buildUser(organisationId: number, options: { roles?: RoleKey[]; password?: string; unitId?: number | null; positionId?: number | null } = {}): Promise<User> {
  const user = await User.create({
    organisationId, username: unique('user'), passwordHash: await passwordHashFor(options.password ?? DEMO_PASSWORD),
    firstNameTh: 'ทดสอบ', lastNameTh: 'ระบบ', unitId: options.unitId ?? null, positionId: options.positionId ?? null,
  });
  for (const key of options.roles ?? ['staff']) {
    const group = await Group.findOne({ where: { organisationId, key } });
    await GroupMember.create({ groupId: group!.id, userId: user.id });
  }
  return user;
}

export async function buildUnit(organisationId: number): Promise<Unit> {
  return Unit.create({ organisationId, kind: 'section', nameTh: unique('กลุ่มงาน ') });
}

export async function buildPosition(organisationId: number, reportsToId: number | null = null): Promise<Position> {
  return Position.create({ organisationId, titleTh: unique('ตำแหน่ง '), reportsToId });
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  auth: { Authorization: string };
}

export async function login(username: string, password = DEMO_PASSWORD): Promise<Session> {
  const res = await request(testEnv().app).post('/api/auth/login').send({ username, password });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { accessToken: res.body.accessToken, refreshToken: res.body.refreshToken, auth: { Authorization: `Bearer ${res.body.accessToken}` } };
}

export const api = () => request(testEnv().app);

/** The row of a refresh token (the database keeps only its SHA-256). */
export const refreshTokenRow = (token: string) => RefreshToken.findOne({ where: { tokenHash: crypto.createHash('sha256').update(token).digest('hex') } });

/** Moves a rotated refresh token's rotation back in time, past the grace window. */
export async function ageRotation(token: string): Promise<void> {
  await (await refreshTokenRow(token))!.update({ revokedAt: new Date(Date.now() - ROTATION_GRACE_MS - 1000) });
}

export async function orgByCode(agencyCode: string): Promise<Organisation> {
  const org = await Organisation.findOne({ where: { agencyCode } });
  if (!org) throw new Error(`no organisation ${agencyCode}`);
  return org;
}
