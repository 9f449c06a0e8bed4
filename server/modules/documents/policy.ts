// Who may read a document: members of the owning organisation; for ลับ / ลับมาก only the named
// recipients, the author and the organisation's secrets custodian. Nothing crosses organisations.
import { Op, WhereOptions, literal } from 'sequelize';
import { Document, DocumentRecipient } from '../../db/models';
import { notFound, forbidden } from '../../lib/errors';
import type { Actor } from '../auth/actor';

export const isSecret = (doc: Pick<Document, 'secrecy'>) => doc.secrecy !== 'normal';

export async function canRead(actor: Actor, doc: Document): Promise<boolean> {
  if (doc.organisationId !== actor.organisationId) return false;
  if (!isSecret(doc)) return true;
  if (actor.roles.has('secrets_custodian') || doc.createdById === actor.userId) return true;
  return (await DocumentRecipient.count({ where: { documentId: doc.id, userId: actor.userId } })) > 0;
}

/** Not found rather than forbidden: an unreadable document's existence is not revealed. */
export async function assertRead(actor: Actor, doc: Document | null): Promise<Document> {
  if (!doc || !(await canRead(actor, doc))) throw notFound('Document');
  return doc;
}

export function assertClerk(actor: Actor): void {
  if (!actor.roles.has('registry_clerk')) throw forbidden('Only a registry clerk (เจ้าหน้าที่สารบรรณ) may do this.');
}

/** A WHERE fragment selecting exactly the documents the actor may read (for lists and search). */
export function readableWhere(actor: Actor, sequelize: { escape(v: unknown): string }): WhereOptions {
  const base = { organisationId: actor.organisationId };
  if (actor.roles.has('secrets_custodian')) return base;
  const me = sequelize.escape(actor.userId);
  return {
    ...base,
    [Op.or]: [
      { secrecy: 'normal' },
      { createdById: actor.userId },
      literal(`EXISTS (SELECT 1 FROM document_recipients r WHERE r.documentId = Document.id AND r.userId = ${me})`),
    ],
  };
}
