// The correspondence registry: documents, registers and their entries, endorsements, the audit
// chain, search tokens and attachments (schema: migration 20261123002100-registry).
import { DataTypes, Model, Sequelize, CreationOptional } from 'sequelize';

export const DOCUMENT_TYPES = ['external', 'internal', 'sealed', 'directive', 'public_relations', 'evidence'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
/** Sub-types each type allows (none for external, internal and sealed letters). */
export const DOCUMENT_SUBTYPES: Record<DocumentType, readonly string[]> = {
  external: [],
  internal: [],
  sealed: [],
  directive: ['order', 'rule', 'bylaw'],
  public_relations: ['announcement', 'statement', 'news'],
  evidence: ['certificate', 'minutes', 'memo', 'other'],
};
export const DIRECTIONS = ['incoming', 'outgoing', 'internal'] as const;
export const URGENCIES = ['normal', 'urgent', 'very_urgent', 'most_urgent', 'deadline'] as const;
export type Urgency = (typeof URGENCIES)[number];
/** top_secret is accepted by the schema only so it can be refused with a clear 422. */
export const SECRECIES = ['normal', 'confidential', 'secret', 'top_secret'] as const;
export type Secrecy = (typeof SECRECIES)[number];
export const DOCUMENT_STATUSES = ['draft', 'registered', 'sent', 'voided', 'destroyed'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];
/**
 * `secret` is the organisation's secret register (ทะเบียนหนังสือลับ, official secrets regulation
 * B.E. 2544): one book and one running series for secret letters received and sent, kept by the
 * secrets custodian; each of its lines says which way the letter went (`direction`).
 */
export const REGISTER_KINDS = ['incoming', 'outgoing', 'circular', 'order', 'secret'] as const;
export type RegisterKind = (typeof REGISTER_KINDS)[number];
/** Which way a register line's letter went: received (รับ) or sent out (ส่ง). */
export const ENTRY_DIRECTIONS = ['incoming', 'outgoing'] as const;
export type EntryDirection = (typeof ENTRY_DIRECTIONS)[number];
export const DECISIONS = ['acknowledge', 'proceed', 'agree', 'approve', 'assign', 'return'] as const;
export type Decision = (typeof DECISIONS)[number];

export class Document extends Model {
  declare id: CreationOptional<number>;
  declare organisationId: number;
  declare unitId: number | null;
  declare direction: (typeof DIRECTIONS)[number];
  declare type: DocumentType;
  declare subType: string | null;
  declare status: DocumentStatus;
  declare version: CreationOptional<number>;
  declare urgency: Urgency;
  declare urgentBy: Date | null;
  declare secrecy: Secrecy;
  declare letterNumber: string | null;
  declare letterNumberKey: string | null;
  declare letterDate: string | null;
  declare subject: string;
  declare senderName: string | null;
  declare addressee: string | null;
  declare salutation: string | null;
  declare body: string | null;
  declare closing: string | null;
  declare signerName: string | null;
  declare signerPosition: string | null;
  declare contact: string | null;
  declare referencesJson: string | null;
  declare enclosuresJson: string | null;
  declare copiesToJson: string | null;
  declare retentionYears: number | null;
  declare registerId: number | null;
  declare registerYear: number | null;
  declare registerNumber: number | null;
  declare registeredAt: Date | null;
  declare createdById: number | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class DocumentVersion extends Model {
  declare id: CreationOptional<number>;
  declare documentId: number;
  declare version: number;
  declare content: string;
  declare createdById: number | null;
  declare createdAt: CreationOptional<Date>;
}

export class DocumentRecipient extends Model {
  declare documentId: number;
  declare userId: number;
  declare createdAt: CreationOptional<Date>;
}

export class Register extends Model {
  declare id: CreationOptional<number>;
  declare organisationId: number;
  declare unitId: number | null;
  declare scopeKey: number;
  declare kind: RegisterKind;
  declare nameTh: string;
  declare active: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class RegisterCounter extends Model {
  declare registerId: number;
  declare year: number;
  declare lastNumber: number;
}

export class RegisterEntry extends Model {
  declare id: CreationOptional<number>;
  declare registerId: number;
  declare year: number;
  declare number: number;
  declare direction: EntryDirection;
  declare documentId: number | null;
  declare status: 'registered' | 'reserved' | 'voided';
  declare letterNumber: string | null;
  declare idempotencyKey: string | null;
  declare note: string | null;
  declare registeredAt: Date;
  declare registeredById: number | null;
  declare voidedAt: Date | null;
  declare voidedById: number | null;
  declare voidReason: string | null;
}

export class Endorsement extends Model {
  declare id: CreationOptional<number>;
  declare documentId: number;
  declare seq: number;
  declare authorId: number;
  declare text: string | null;
  declare decision: Decision | null;
  declare assignTo: string | null;
  declare typedName: string;
  declare positionId: number | null;
  declare positionTitle: string | null;
  declare capacity: 'self' | 'acting_for' | 'acting_in_post';
  declare delegationId: number | null;
  declare createdAt: Date;
}

export class AuditHead extends Model {
  declare organisationId: number;
  declare lastSeq: number;
  declare lastHash: string;
}

export class AuditRecord extends Model {
  declare id: CreationOptional<number>;
  declare organisationId: number;
  declare seq: number;
  declare entityType: string;
  declare entityId: string;
  declare action: string;
  declare actorId: number | null;
  declare data: string;
  declare prevHash: string;
  declare hash: string;
  declare createdAt: Date;
}

export class SearchToken extends Model {
  declare documentId: number;
  declare token: string;
}

export class Blob extends Model {
  declare sha256: string;
  declare size: number;
  declare mime: string;
  declare createdAt: CreationOptional<Date>;
}

/** A document held by a running destruction (migration 20261123004500-destruction-items). */
export class DestructionItem extends Model {
  declare instanceId: number;
  declare documentId: number;
}

export class Attachment extends Model {
  declare id: CreationOptional<number>;
  declare documentId: number;
  declare sha256: string;
  declare role: 'main' | 'enclosure';
  declare filename: string;
  declare mime: string;
  declare size: number;
  declare createdById: number | null;
  declare createdAt: CreationOptional<Date>;
}

const id = { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true };
const str = (n: number, allowNull = true) => ({ type: DataTypes.STRING(n), allowNull });
const int = (allowNull = true) => ({ type: DataTypes.INTEGER, allowNull });

export function initRegistryModels(sequelize: Sequelize): void {
  Document.init(
    {
      id,
      organisationId: int(false),
      unitId: int(),
      direction: str(16, false),
      type: str(24, false),
      subType: str(24),
      status: str(16, false),
      version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      urgency: str(16, false),
      urgentBy: { type: DataTypes.DATE(3), allowNull: true },
      secrecy: str(16, false),
      letterNumber: str(100),
      letterNumberKey: str(100),
      letterDate: { type: DataTypes.DATEONLY, allowNull: true },
      subject: str(500, false),
      senderName: str(255),
      addressee: str(255),
      salutation: str(32),
      body: { type: DataTypes.TEXT, allowNull: true },
      closing: str(64),
      signerName: str(255),
      signerPosition: str(255),
      contact: str(500),
      referencesJson: { type: DataTypes.TEXT, allowNull: true },
      enclosuresJson: { type: DataTypes.TEXT, allowNull: true },
      copiesToJson: { type: DataTypes.TEXT, allowNull: true },
      retentionYears: int(),
      registerId: int(),
      registerYear: int(),
      registerNumber: int(),
      registeredAt: { type: DataTypes.DATE(3), allowNull: true },
      createdById: int(),
    },
    { sequelize, tableName: 'documents' },
  );
  DocumentVersion.init(
    { id, documentId: int(false), version: int(false), content: { type: DataTypes.TEXT, allowNull: false }, createdById: int() },
    { sequelize, tableName: 'document_versions', updatedAt: false },
  );
  DocumentRecipient.init(
    { documentId: { type: DataTypes.INTEGER, primaryKey: true }, userId: { type: DataTypes.INTEGER, primaryKey: true } },
    { sequelize, tableName: 'document_recipients', updatedAt: false },
  );
  Register.init(
    { id, organisationId: int(false), unitId: int(), scopeKey: int(false), kind: str(16, false), nameTh: str(255, false), active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true } },
    { sequelize, tableName: 'registers' },
  );
  RegisterCounter.init(
    { registerId: { type: DataTypes.INTEGER, primaryKey: true }, year: { type: DataTypes.INTEGER, primaryKey: true }, lastNumber: int(false) },
    { sequelize, tableName: 'register_counters', timestamps: false },
  );
  RegisterEntry.init(
    {
      id, registerId: int(false), year: int(false), number: int(false), direction: str(16, false), documentId: int(), status: str(16, false), letterNumber: str(100),
      idempotencyKey: str(100), note: str(500), registeredAt: { type: DataTypes.DATE(3), allowNull: false }, registeredById: int(),
      voidedAt: { type: DataTypes.DATE(3), allowNull: true }, voidedById: int(), voidReason: str(500),
    },
    { sequelize, tableName: 'register_entries', timestamps: false },
  );
  Endorsement.init(
    {
      id, documentId: int(false), seq: int(false), authorId: int(false), text: { type: DataTypes.TEXT, allowNull: true }, decision: str(16), assignTo: str(255),
      typedName: str(255, false), positionId: int(), positionTitle: str(255), capacity: str(16, false), delegationId: int(),
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'endorsements', timestamps: false },
  );
  AuditHead.init(
    { organisationId: { type: DataTypes.INTEGER, primaryKey: true }, lastSeq: int(false), lastHash: str(64, false) },
    { sequelize, tableName: 'audit_heads', timestamps: false },
  );
  AuditRecord.init(
    {
      id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true }, organisationId: int(false), seq: int(false), entityType: str(32, false), entityId: str(64, false),
      action: str(48, false), actorId: int(), data: { type: DataTypes.TEXT, allowNull: false }, prevHash: str(64, false), hash: str(64, false),
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'audit_log', timestamps: false },
  );
  SearchToken.init(
    { documentId: { type: DataTypes.INTEGER, primaryKey: true }, token: { type: DataTypes.STRING(64), primaryKey: true } },
    { sequelize, tableName: 'search_tokens', timestamps: false },
  );
  Blob.init(
    { sha256: { type: DataTypes.STRING(64), primaryKey: true }, size: { type: DataTypes.BIGINT, allowNull: false }, mime: str(128, false) },
    { sequelize, tableName: 'blobs', updatedAt: false },
  );
  Attachment.init(
    { id, documentId: int(false), sha256: str(64, false), role: str(16, false), filename: str(255, false), mime: str(128, false), size: { type: DataTypes.BIGINT, allowNull: false }, createdById: int() },
    { sequelize, tableName: 'attachments', updatedAt: false },
  );
  DestructionItem.init(
    { instanceId: { type: DataTypes.BIGINT, primaryKey: true }, documentId: { type: DataTypes.INTEGER, primaryKey: true } },
    { sequelize, tableName: 'destruction_items', timestamps: false },
  );
}
