// Who may read a document: members of the owning organisation; for ลับ / ลับมาก only the named
// recipients, the author and the organisation's secrets custodian. Nothing crosses organisations.
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

/** A raw SQL condition on alias `d` selecting exactly the documents the actor may read. */
export function readableSql(actor: Actor): { sql: string; replacements: Record<string, unknown> } {
  const replacements = { readerOrg: actor.organisationId, reader: actor.userId };
  if (actor.roles.has('secrets_custodian')) return { sql: 'd.organisationId = :readerOrg', replacements };
  return {
    sql: "d.organisationId = :readerOrg AND (d.secrecy = 'normal' OR d.createdById = :reader OR EXISTS (SELECT 1 FROM document_recipients r WHERE r.documentId = d.id AND r.userId = :reader))",
    replacements,
  };
}
