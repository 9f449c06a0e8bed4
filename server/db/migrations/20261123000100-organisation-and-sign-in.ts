// Foundation schema: code lists, organisations, units, positions, users, groups, delegations,
// refresh tokens and generated secrets. Runs unchanged on SQLite and MariaDB/MySQL.
import { DataTypes, QueryInterface } from 'sequelize';

const utf8 = { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' };
const id = { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false };
const timestamps = {
  createdAt: { type: DataTypes.DATE(3), allowNull: false },
  updatedAt: { type: DataTypes.DATE(3), allowNull: false },
};
const ref = (table: string, onDelete: 'RESTRICT' | 'CASCADE' | 'SET NULL' = 'RESTRICT') => ({
  references: { model: table, key: table === 'ministry_codes' ? 'code' : table === 'system_secrets' ? 'name' : 'id' },
  onUpdate: 'CASCADE',
  onDelete,
});

export async function up(qi: QueryInterface): Promise<void> {
  await qi.createTable(
    'ministry_codes',
    {
      code: { type: DataTypes.STRING(8), primaryKey: true, allowNull: false },
      nameTh: { type: DataTypes.STRING(200), allowNull: false },
      nameEn: { type: DataTypes.STRING(200), allowNull: false },
    },
    utf8,
  );

  await qi.createTable(
    'organisations',
    {
      id,
      parentId: { type: DataTypes.INTEGER, allowNull: true, ...ref('organisations') },
      kind: { type: DataTypes.STRING(32), allowNull: false },
      nameTh: { type: DataTypes.STRING(255), allowNull: false },
      nameEn: { type: DataTypes.STRING(255), allowNull: true },
      agencyCode: { type: DataTypes.STRING(64), allowNull: false },
      ministryCode: { type: DataTypes.STRING(8), allowNull: true, ...ref('ministry_codes') },
      interchangeId: { type: DataTypes.STRING(64), allowNull: true },
      address: { type: DataTypes.STRING(500), allowNull: true },
      phone: { type: DataTypes.STRING(64), allowNull: true },
      email: { type: DataTypes.STRING(255), allowNull: true },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      ...timestamps,
    },
    utf8,
  );
  await qi.addIndex('organisations', ['parentId'], { name: 'organisations_parent' });
  await qi.addIndex('organisations', ['agencyCode'], { name: 'organisations_agency_code', unique: true });
  await qi.addIndex('organisations', ['interchangeId'], { name: 'organisations_interchange_id', unique: true });
  await qi.addIndex('organisations', ['ministryCode'], { name: 'organisations_ministry_code' });

  await qi.createTable(
    'units',
    {
      id,
      organisationId: { type: DataTypes.INTEGER, allowNull: false, ...ref('organisations') },
      parentUnitId: { type: DataTypes.INTEGER, allowNull: true, ...ref('units') },
      kind: { type: DataTypes.STRING(32), allowNull: false },
      nameTh: { type: DataTypes.STRING(255), allowNull: false },
      nameEn: { type: DataTypes.STRING(255), allowNull: true },
      ownerCode: { type: DataTypes.STRING(64), allowNull: true },
      keepsOwnRegister: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      ...timestamps,
    },
    utf8,
  );
  await qi.addIndex('units', ['organisationId', 'nameTh'], { name: 'units_organisation_name', unique: true });
  await qi.addIndex('units', ['parentUnitId'], { name: 'units_parent' });

  await qi.createTable(
    'positions',
    {
      id,
      organisationId: { type: DataTypes.INTEGER, allowNull: false, ...ref('organisations') },
      unitId: { type: DataTypes.INTEGER, allowNull: true, ...ref('units') },
      titleTh: { type: DataTypes.STRING(255), allowNull: false },
      titleEn: { type: DataTypes.STRING(255), allowNull: true },
      reportsToId: { type: DataTypes.INTEGER, allowNull: true, ...ref('positions') },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      ...timestamps,
    },
    utf8,
  );
  await qi.addIndex('positions', ['organisationId'], { name: 'positions_organisation' });
  await qi.addIndex('positions', ['unitId'], { name: 'positions_unit' });
  await qi.addIndex('positions', ['reportsToId'], { name: 'positions_reports_to' });

  await qi.createTable(
    'users',
    {
      id,
      organisationId: { type: DataTypes.INTEGER, allowNull: false, ...ref('organisations') },
      unitId: { type: DataTypes.INTEGER, allowNull: true, ...ref('units') },
      positionId: { type: DataTypes.INTEGER, allowNull: true, ...ref('positions') },
      username: { type: DataTypes.STRING(64), allowNull: false },
      passwordHash: { type: DataTypes.STRING(255), allowNull: false },
      prefixTh: { type: DataTypes.STRING(64), allowNull: true },
      firstNameTh: { type: DataTypes.STRING(100), allowNull: false },
      lastNameTh: { type: DataTypes.STRING(100), allowNull: false },
      nameEn: { type: DataTypes.STRING(200), allowNull: true },
      email: { type: DataTypes.STRING(255), allowNull: true },
      phone: { type: DataTypes.STRING(64), allowNull: true },
      locale: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'th' },
      emailNotifications: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      tokenVersion: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      lastLoginAt: { type: DataTypes.DATE(3), allowNull: true },
      ...timestamps,
    },
    utf8,
  );
  await qi.addIndex('users', ['username'], { name: 'users_username', unique: true });
  await qi.addIndex('users', ['organisationId'], { name: 'users_organisation' });
  await qi.addIndex('users', ['unitId'], { name: 'users_unit' });
  await qi.addIndex('users', ['positionId'], { name: 'users_position' });

  await qi.createTable(
    'groups',
    {
      id,
      organisationId: { type: DataTypes.INTEGER, allowNull: false, ...ref('organisations') },
      key: { type: DataTypes.STRING(64), allowNull: false },
      nameTh: { type: DataTypes.STRING(255), allowNull: false },
      nameEn: { type: DataTypes.STRING(255), allowNull: true },
      ...timestamps,
    },
    utf8,
  );
  await qi.addIndex('groups', ['organisationId', 'key'], { name: 'groups_organisation_key', unique: true });

  await qi.createTable(
    'group_members',
    {
      groupId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true, ...ref('groups', 'CASCADE') },
      userId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true, ...ref('users', 'CASCADE') },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    utf8,
  );
  await qi.addIndex('group_members', ['userId'], { name: 'group_members_user' });

  await qi.createTable(
    'delegations',
    {
      id,
      organisationId: { type: DataTypes.INTEGER, allowNull: false, ...ref('organisations') },
      principalPositionId: { type: DataTypes.INTEGER, allowNull: false, ...ref('positions') },
      delegateUserId: { type: DataTypes.INTEGER, allowNull: false, ...ref('users') },
      capacity: { type: DataTypes.STRING(32), allowNull: false },
      startsAt: { type: DataTypes.DATE(3), allowNull: false },
      endsAt: { type: DataTypes.DATE(3), allowNull: true },
      orderNumber: { type: DataTypes.STRING(100), allowNull: false },
      orderDate: { type: DataTypes.DATEONLY, allowNull: true },
      note: { type: DataTypes.STRING(1000), allowNull: true },
      createdById: { type: DataTypes.INTEGER, allowNull: true, ...ref('users', 'SET NULL') },
      revokedAt: { type: DataTypes.DATE(3), allowNull: true },
      revokedById: { type: DataTypes.INTEGER, allowNull: true, ...ref('users', 'SET NULL') },
      ...timestamps,
    },
    utf8,
  );
  await qi.addIndex('delegations', ['delegateUserId', 'startsAt'], { name: 'delegations_delegate_starts' });
  await qi.addIndex('delegations', ['principalPositionId'], { name: 'delegations_principal' });
  await qi.addIndex('delegations', ['organisationId'], { name: 'delegations_organisation' });
  // Every foreign key has an index of its own, so MySQL does not invent one that SQLite lacks.
  await qi.addIndex('delegations', ['createdById'], { name: 'delegations_created_by' });
  await qi.addIndex('delegations', ['revokedById'], { name: 'delegations_revoked_by' });

  await qi.createTable(
    'refresh_tokens',
    {
      id,
      userId: { type: DataTypes.INTEGER, allowNull: false, ...ref('users', 'CASCADE') },
      tokenHash: { type: DataTypes.STRING(64), allowNull: false },
      familyId: { type: DataTypes.STRING(36), allowNull: false },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
      revokedAt: { type: DataTypes.DATE(3), allowNull: true },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    utf8,
  );
  await qi.addIndex('refresh_tokens', ['tokenHash'], { name: 'refresh_tokens_hash', unique: true });
  await qi.addIndex('refresh_tokens', ['userId'], { name: 'refresh_tokens_user' });
  await qi.addIndex('refresh_tokens', ['familyId'], { name: 'refresh_tokens_family' });

  await qi.createTable(
    'system_secrets',
    {
      name: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
      value: { type: DataTypes.STRING(255), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    utf8,
  );
}

export async function down(qi: QueryInterface): Promise<void> {
  for (const table of ['system_secrets', 'refresh_tokens', 'delegations', 'group_members', 'groups', 'users', 'positions', 'units', 'organisations', 'ministry_codes']) {
    await qi.dropTable(table);
  }
}
