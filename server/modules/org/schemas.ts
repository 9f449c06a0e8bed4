// Request and response schemas of the organisation: they validate requests and describe the API.
import { z } from '../../lib/openapi';
import { plausibleDay, plausibleInstant } from '../../lib/date-fields';
import { ORGANISATION_KINDS, DELEGATION_CAPACITIES, ROLE_KEYS } from '../../db/models';

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const id = z.number().int().positive();

export const OrganisationKind = z.enum(ORGANISATION_KINDS).openapi({ description: 'ministry, department (กรม/สำนักงาน), provincial_office, regional_office, agency' });

export const Organisation = z
  .object({
    id,
    parentId: id.nullable(),
    kind: OrganisationKind,
    nameTh: z.string(),
    nameEn: z.string().nullable(),
    agencyCode: z.string().openapi({ example: 'สธ 0201', description: 'รหัสหน่วยงาน used in letter numbers' }),
    ministryCode: z.string().nullable(),
    interchangeId: z.string().nullable().openapi({ description: 'Identifier in the e-correspondence interchange (ECMS)' }),
    address: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    active: z.boolean(),
  })
  .openapi('Organisation');

export const OrganisationCreate = z
  .object({
    parentId: id.nullable().optional(),
    kind: OrganisationKind,
    nameTh: text(255),
    nameEn: optionalText(255),
    agencyCode: text(64),
    ministryCode: z.string().trim().min(2).max(8).nullable().optional(),
    interchangeId: optionalText(64),
    address: optionalText(500),
    phone: optionalText(64),
    email: z.email().max(255).nullable().optional(),
  })
  .strict()
  .openapi('OrganisationCreate');
export const OrganisationUpdate = OrganisationCreate.omit({ parentId: true })
  .partial()
  .extend({ active: z.boolean().optional() })
  .strict()
  .openapi('OrganisationUpdate');

export const Unit = z
  .object({
    id,
    organisationId: id,
    parentUnitId: id.nullable(),
    kind: z.string().openapi({ example: 'division', description: 'division (กอง), section (กลุ่มงาน), office, …' }),
    nameTh: z.string(),
    nameEn: z.string().nullable(),
    ownerCode: z.string().nullable().openapi({ example: 'สธ 0201.2' }),
    keepsOwnRegister: z.boolean(),
    active: z.boolean(),
  })
  .openapi('Unit');
export const UnitCreate = z
  .object({
    parentUnitId: id.nullable().optional(),
    kind: text(32),
    nameTh: text(255),
    nameEn: optionalText(255),
    ownerCode: optionalText(64),
    keepsOwnRegister: z.boolean().optional(),
  })
  .strict()
  .openapi('UnitCreate');
export const UnitUpdate = UnitCreate.partial().extend({ active: z.boolean().optional() }).strict().openapi('UnitUpdate');

export const Position = z
  .object({
    id,
    organisationId: id,
    unitId: id.nullable(),
    titleTh: z.string(),
    titleEn: z.string().nullable(),
    reportsToId: id.nullable().openapi({ description: 'The position this one reports to: the chain of command' }),
    active: z.boolean(),
  })
  .openapi('Position');
export const PositionCreate = z
  .object({
    unitId: id.nullable().optional(),
    titleTh: text(255),
    titleEn: optionalText(255),
    reportsToId: id.nullable().optional(),
  })
  .strict()
  .openapi('PositionCreate');
export const PositionUpdate = PositionCreate.partial().extend({ active: z.boolean().optional() }).strict().openapi('PositionUpdate');

export const Group = z
  .object({ id, organisationId: id, key: z.string(), nameTh: z.string(), nameEn: z.string().nullable(), isRole: z.boolean() })
  .openapi('Group');
export const GroupCreate = z
  .object({
    key: z.string().trim().max(64).regex(/^[a-z][a-z0-9_.-]{1,63}$/, 'Use 2–64 lower-case letters, digits, _ . or -, starting with a letter.'),
    nameTh: text(255),
    nameEn: optionalText(255),
  })
  .strict()
  .openapi('GroupCreate');
export const GroupUpdate = GroupCreate.omit({ key: true }).partial().strict().openapi('GroupUpdate');

export const User = z
  .object({
    id,
    organisationId: id,
    unitId: id.nullable(),
    positionId: id.nullable(),
    username: z.string(),
    prefixTh: z.string().nullable(),
    firstNameTh: z.string(),
    lastNameTh: z.string(),
    displayName: z.string(),
    nameEn: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    locale: z.string(),
    emailNotifications: z.boolean(),
    active: z.boolean(),
    roles: z.array(z.enum(ROLE_KEYS)).optional(),
    groupIds: z.array(id).optional(),
  })
  .openapi('User');
const username = z
  .string()
  .trim()
  .toLowerCase()
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'Use 3–64 letters a–z, digits, . _ or -.');
export const UserCreate = z
  .object({
    username,
    password: z.string().min(10, 'รหัสผ่านต้องมีอย่างน้อย 10 ตัวอักษร').max(1024),
    unitId: id.nullable().optional(),
    positionId: id.nullable().optional(),
    prefixTh: optionalText(64),
    firstNameTh: text(100),
    lastNameTh: text(100),
    nameEn: optionalText(200),
    email: z.email().max(255).nullable().optional(),
    phone: optionalText(64),
    locale: z.enum(['th', 'en']).optional(),
    groupIds: z.array(id).max(100).optional(),
  })
  .strict()
  .openapi('UserCreate');
export const UserUpdate = UserCreate.omit({ username: true })
  .partial()
  .extend({ active: z.boolean().optional(), emailNotifications: z.boolean().optional() })
  .strict()
  .openapi('UserUpdate');

export const DelegationCapacity = z.enum(DELEGATION_CAPACITIES).openapi({ description: 'acting_for = ปฏิบัติราชการแทน; acting_in_post = รักษาราชการแทน' });
export const Delegation = z
  .object({
    id,
    organisationId: id,
    principalPositionId: id,
    delegateUserId: id,
    capacity: DelegationCapacity,
    startsAt: z.string().openapi({ format: 'date-time' }),
    endsAt: z.string().nullable().openapi({ format: 'date-time' }),
    orderNumber: z.string().openapi({ example: 'คำสั่งสำนักงานปลัดกระทรวงสาธารณสุข ที่ 15/2569' }),
    orderDate: z.string().nullable().openapi({ format: 'date' }),
    note: z.string().nullable(),
    revokedAt: z.string().nullable(),
    active: z.boolean(),
  })
  .openapi('Delegation');
export const DelegationCreate = z
  .object({
    principalPositionId: id,
    delegateUserId: id,
    capacity: DelegationCapacity,
    startsAt: plausibleInstant(),
    endsAt: plausibleInstant().nullable().optional(),
    orderNumber: text(100),
    orderDate: plausibleDay().nullable().optional(),
    note: optionalText(1000),
  })
  .strict()
  .refine((d) => !d.endsAt || new Date(d.endsAt) > new Date(d.startsAt), { message: 'endsAt must be after startsAt.', path: ['endsAt'], params: { th: 'วันเวลาสิ้นสุดต้องอยู่หลังวันเวลาเริ่มต้น' } })
  .openapi('DelegationCreate');

export const MinistryCode = z.object({ code: z.string(), nameTh: z.string(), nameEn: z.string() }).openapi('MinistryCode');

export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
