// All models, initialised once per Sequelize instance.
import { Sequelize } from 'sequelize';
import { initOrgModels, Organisation, Unit, Position, Group, GroupMember, Delegation, MinistryCode } from './org';
import { initUserModel, User } from './user';
import { initAuthModels, RefreshToken, SystemSecret } from './auth';
import { initEventModels } from './events';
import { initWorkflowModels } from './workflow';
import { initNotifyModels } from './notify';
import { initRegistryModels } from './registry';
import { initPreferenceModels } from './preferences';
import { initDeliveryModels } from './deliveries';
import { initEcmsModels } from './ecms';
import { initLetterModels } from './letters';
import { initCitizenModels } from './citizens';
import { initSignatureModels } from './signatures';
import { initExchangeModels } from './exchange';
import { initPhraseModels } from './phrases';

export * from './org';
export * from './user';
export * from './auth';
export * from './events';
export * from './workflow';
export * from './notify';
export * from './registry';
export * from './preferences';
export * from './deliveries';
export * from './ecms';
export * from './letters';
export * from './citizens';
export * from './signatures';
export * from './exchange';
export * from './phrases';

export function initModels(sequelize: Sequelize): void {
  if (sequelize.models.User) return;
  initOrgModels(sequelize);
  initUserModel(sequelize);
  initAuthModels(sequelize);
  initEventModels(sequelize);
  initWorkflowModels(sequelize);
  initNotifyModels(sequelize);
  initRegistryModels(sequelize);
  initPreferenceModels(sequelize);
  initDeliveryModels(sequelize);
  initEcmsModels(sequelize);
  initLetterModels(sequelize);
  initCitizenModels(sequelize);
  initSignatureModels(sequelize);
  initExchangeModels(sequelize);
  initPhraseModels(sequelize);

  Organisation.belongsTo(Organisation, { as: 'parent', foreignKey: 'parentId' });
  Unit.belongsTo(Organisation, { as: 'organisation', foreignKey: 'organisationId' });
  Position.belongsTo(Unit, { as: 'unit', foreignKey: 'unitId' });
  Position.belongsTo(Position, { as: 'reportsTo', foreignKey: 'reportsToId' });
  User.belongsTo(Organisation, { as: 'organisation', foreignKey: 'organisationId' });
  User.belongsTo(Unit, { as: 'unit', foreignKey: 'unitId' });
  User.belongsTo(Position, { as: 'position', foreignKey: 'positionId' });
  User.belongsToMany(Group, { through: GroupMember, as: 'groups', foreignKey: 'userId', otherKey: 'groupId' });
  Group.belongsToMany(User, { through: GroupMember, as: 'members', foreignKey: 'groupId', otherKey: 'userId' });
  Delegation.belongsTo(Position, { as: 'principalPosition', foreignKey: 'principalPositionId' });
  Delegation.belongsTo(User, { as: 'delegate', foreignKey: 'delegateUserId' });
  RefreshToken.belongsTo(User, { as: 'user', foreignKey: 'userId' });
  void MinistryCode;
  void SystemSecret;
}
