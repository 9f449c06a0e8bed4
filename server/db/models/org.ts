// The organisation: agencies in a hierarchy, their units, positions (chain of command),
// groups/roles and delegations of authority.
import { DataTypes, Model, Sequelize, CreationOptional, ForeignKey } from 'sequelize';

export const ORGANISATION_KINDS = ['ministry', 'department', 'provincial_office', 'regional_office', 'agency'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** ปฏิบัติราชการแทน (delegated authority) or รักษาราชการแทน (acting in the post). */
export const DELEGATION_CAPACITIES = ['acting_for', 'acting_in_post'] as const;
export type DelegationCapacity = (typeof DELEGATION_CAPACITIES)[number];

/** Groups with these keys are the product's roles; any other key is an ordinary work group. */
export const ROLE_KEYS = ['system_admin', 'process_designer', 'registry_clerk', 'staff', 'executive', 'secrets_custodian'] as const;
export type RoleKey = (typeof ROLE_KEYS)[number];

export class MinistryCode extends Model {
  declare code: string;
  declare nameTh: string;
  declare nameEn: string;
}

export class Organisation extends Model {
  declare id: CreationOptional<number>;
  declare parentId: ForeignKey<number> | null;
  declare kind: OrganisationKind;
  declare nameTh: string;
  declare nameEn: string | null;
  declare agencyCode: string;
  declare ministryCode: string | null;
  declare interchangeId: string | null;
  declare address: string | null;
  declare phone: string | null;
  declare email: string | null;
  declare active: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class Unit extends Model {
  declare id: CreationOptional<number>;
  declare organisationId: number;
  declare parentUnitId: number | null;
  declare kind: string;
  declare nameTh: string;
  declare nameEn: string | null;
  declare ownerCode: string | null;
  declare keepsOwnRegister: CreationOptional<boolean>;
  declare active: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class Position extends Model {
  declare id: CreationOptional<number>;
  declare organisationId: number;
  declare unitId: number | null;
  declare titleTh: string;
  declare titleEn: string | null;
  declare reportsToId: number | null;
  declare active: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class Group extends Model {
  declare id: CreationOptional<number>;
  declare organisationId: number;
  declare key: string;
  declare nameTh: string;
  declare nameEn: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class GroupMember extends Model {
  declare groupId: number;
  declare userId: number;
  declare createdAt: CreationOptional<Date>;
}

export class Delegation extends Model {
  declare id: CreationOptional<number>;
  declare organisationId: number;
  declare principalPositionId: number;
  declare delegateUserId: number;
  declare capacity: DelegationCapacity;
  declare startsAt: Date;
  declare endsAt: Date | null;
  declare orderNumber: string;
  declare orderDate: string | null;
  declare note: string | null;
  declare createdById: number | null;
  declare revokedAt: Date | null;
  declare revokedById: number | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

const id = { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true };

export function initOrgModels(sequelize: Sequelize): void {
  MinistryCode.init(
    {
      code: { type: DataTypes.STRING(8), primaryKey: true },
      nameTh: { type: DataTypes.STRING(200), allowNull: false },
      nameEn: { type: DataTypes.STRING(200), allowNull: false },
    },
    { sequelize, tableName: 'ministry_codes', timestamps: false },
  );
  Organisation.init(
    {
      id,
      parentId: { type: DataTypes.INTEGER, allowNull: true },
      kind: { type: DataTypes.STRING(32), allowNull: false },
      nameTh: { type: DataTypes.STRING(255), allowNull: false },
      nameEn: { type: DataTypes.STRING(255), allowNull: true },
      agencyCode: { type: DataTypes.STRING(64), allowNull: false },
      ministryCode: { type: DataTypes.STRING(8), allowNull: true },
      interchangeId: { type: DataTypes.STRING(64), allowNull: true },
      address: { type: DataTypes.STRING(500), allowNull: true },
      phone: { type: DataTypes.STRING(64), allowNull: true },
      email: { type: DataTypes.STRING(255), allowNull: true },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    },
    { sequelize, tableName: 'organisations' },
  );
  Unit.init(
    {
      id,
      organisationId: { type: DataTypes.INTEGER, allowNull: false },
      parentUnitId: { type: DataTypes.INTEGER, allowNull: true },
      kind: { type: DataTypes.STRING(32), allowNull: false },
      nameTh: { type: DataTypes.STRING(255), allowNull: false },
      nameEn: { type: DataTypes.STRING(255), allowNull: true },
      ownerCode: { type: DataTypes.STRING(64), allowNull: true },
      keepsOwnRegister: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    },
    { sequelize, tableName: 'units' },
  );
  Position.init(
    {
      id,
      organisationId: { type: DataTypes.INTEGER, allowNull: false },
      unitId: { type: DataTypes.INTEGER, allowNull: true },
      titleTh: { type: DataTypes.STRING(255), allowNull: false },
      titleEn: { type: DataTypes.STRING(255), allowNull: true },
      reportsToId: { type: DataTypes.INTEGER, allowNull: true },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    },
    { sequelize, tableName: 'positions' },
  );
  Group.init(
    {
      id,
      organisationId: { type: DataTypes.INTEGER, allowNull: false },
      key: { type: DataTypes.STRING(64), allowNull: false },
      nameTh: { type: DataTypes.STRING(255), allowNull: false },
      nameEn: { type: DataTypes.STRING(255), allowNull: true },
    },
    { sequelize, tableName: 'groups' },
  );
  GroupMember.init(
    {
      groupId: { type: DataTypes.INTEGER, primaryKey: true },
      userId: { type: DataTypes.INTEGER, primaryKey: true },
    },
    { sequelize, tableName: 'group_members', updatedAt: false },
  );
  Delegation.init(
    {
      id,
      organisationId: { type: DataTypes.INTEGER, allowNull: false },
      principalPositionId: { type: DataTypes.INTEGER, allowNull: false },
      delegateUserId: { type: DataTypes.INTEGER, allowNull: false },
      capacity: { type: DataTypes.STRING(32), allowNull: false },
      startsAt: { type: DataTypes.DATE, allowNull: false },
      endsAt: { type: DataTypes.DATE, allowNull: true },
      orderNumber: { type: DataTypes.STRING(100), allowNull: false },
      orderDate: { type: DataTypes.DATEONLY, allowNull: true },
      note: { type: DataTypes.STRING(1000), allowNull: true },
      createdById: { type: DataTypes.INTEGER, allowNull: true },
      revokedAt: { type: DataTypes.DATE, allowNull: true },
      revokedById: { type: DataTypes.INTEGER, allowNull: true },
    },
    { sequelize, tableName: 'delegations' },
  );
}
