// Who may read a document: members of the owning organisation; for ลับ / ลับมาก only the named
// recipients, the author and the organisation's secrets custodian. Nothing crosses organisations.
// The custodian alone reads every secret letter, so the custodian alone keeps and sees the secret
// register (ทะเบียนหนังสือลับ): its lines are secret letters.
// A letter from an agency elsewhere or from a citizen is held as a document of the receiving
// organisation while it waits in the arrivals tray; until a clerk accepts it, only those who work
// the tray (registry clerks; the custodian for secret letters) may open it.
import { Op, type Transaction } from 'sequelize';
import { Delivery, Document, DocumentRecipient, OPEN_DELIVERY_STATUSES, Register } from '../../db/models';
import { notFound, forbidden, unprocessable } from '../../lib/errors';
import type { Actor } from '../auth/actor';

export const isSecret = (doc: Pick<Document, 'secrecy'>) => doc.secrecy !== 'normal';

/** The secrets custodian (นายทะเบียนเอกสารลับ) reads every secret letter of the organisation. */
export const readsAllSecrets = (actor: Actor) => actor.roles.has('secrets_custodian');

/** Whether the actor may know the register exists (list, read, export it); others get 404 for it. */
export const maySeeRegister = (actor: Actor, reg: Pick<Register, 'organisationId' | 'kind'>) =>
  reg.organisationId === actor.organisationId && (reg.kind !== 'secret' || readsAllSecrets(actor));

/** Who takes and voids numbers: a registry clerk in the ordinary books, the custodian in the secret one. */
export function assertRegistrar(actor: Actor, reg: Pick<Register, 'kind'>): void {
  if (reg.kind === 'secret') {
    if (!readsAllSecrets(actor)) throw forbidden('Only the secrets custodian (นายทะเบียนเอกสารลับ) registers in the secret register.');
  } else assertClerk(actor);
}

/** The ids of the documents the actor may read, with one look at the named recipients for all of them. */
export async function readableIds(actor: Actor, docs: Array<Pick<Document, 'id' | 'organisationId' | 'secrecy' | 'createdById'>>, transaction?: Transaction): Promise<Set<number>> {
  const readable = new Set<number>();
  const askRecipients: number[] = [];
  for (const doc of docs) {
    if (doc.organisationId !== actor.organisationId) continue;
    if (!isSecret(doc) || readsAllSecrets(actor) || doc.createdById === actor.userId) readable.add(Number(doc.id));
    else askRecipients.push(Number(doc.id));
  }
  for (let i = 0; i < askRecipients.length; i += 1000) {
    const named = await DocumentRecipient.findAll({ where: { documentId: askRecipients.slice(i, i + 1000), userId: actor.userId }, attributes: ['documentId'], raw: true, transaction });
    for (const r of named) readable.add(Number(r.documentId));
  }
  await dropHeldArrivals(actor, readable, transaction);
  return readable;
}

/** Letters still waiting in the tray (from an agency elsewhere or a citizen): for the tray's workers only. */
async function dropHeldArrivals(actor: Actor, readable: Set<number>, transaction?: Transaction): Promise<void> {
  if (!readable.size) return;
  const ids = [...readable];
  for (let i = 0; i < ids.length; i += 1000) {
    const held = await Delivery.findAll({
      where: { documentId: ids.slice(i, i + 1000), senderKind: ['agency', 'citizen'], status: { [Op.in]: [...OPEN_DELIVERY_STATUSES] } },
      attributes: ['documentId', 'secrecy'], raw: true, transaction,
    });
    for (const d of held) if (!(d.secrecy !== 'normal' ? readsAllSecrets(actor) : actor.roles.has('registry_clerk'))) readable.delete(Number(d.documentId));
  }
}

export async function canRead(actor: Actor, doc: Document, transaction?: Transaction): Promise<boolean> {
  return (await readableIds(actor, [doc], transaction)).has(Number(doc.id));
}

/** Not found rather than forbidden: an unreadable document's existence is not revealed. */
export async function assertRead(actor: Actor, doc: Document | null, transaction?: Transaction): Promise<Document> {
  if (!doc || !(await canRead(actor, doc, transaction))) throw notFound('Document');
  return doc;
}

/**
 * The one door for a document id given to any route or command (start a process for it, complete
 * a step on it, endorse it): the same read and secrecy check as reading it, 404 when it is missing
 * or not the actor's to read. Writing into a letter one may not read is never allowed.
 */
export async function readableDocument(actor: Actor, documentId: number, options: { transaction?: Transaction; lock?: boolean } = {}): Promise<Document> {
  const { transaction, lock } = options;
  const doc = await Document.findByPk(documentId, { transaction, ...(lock && transaction ? { lock: transaction.LOCK.UPDATE } : {}) });
  return assertRead(actor, doc, transaction);
}

/**
 * Process variables that carry a letter's identity or content. `documentIds` (the letters a
 * destruction destroys) is only ever set by the product from an approved destruction list; on an
 * instance for a letter, `document` is set by the product from the letter itself (what its
 * secrecy lets tasks and events show). A request setting them could point a process at letters
 * its caller may not read, or make a secret letter look normal. Without a letter, `document` is
 * the designer's own data.
 */
export function assertNoDocumentVariables(variables: Record<string, unknown> | undefined, hasLetter: boolean, field = 'variables'): void {
  const set = ['documentIds', ...(hasLetter ? ['document'] : [])].filter((name) => variables && Object.prototype.hasOwnProperty.call(variables, name));
  if (set.length) throw unprocessable(`${set.map((n) => `"${n}"`).join(', ')}: set by the product from the letter itself, not by a request.`, set.map((n) => ({ field: `${field}.${n}`, message: 'set by the product' })));
}

export function assertClerk(actor: Actor): void {
  if (!actor.roles.has('registry_clerk')) throw forbidden('Only a registry clerk (เจ้าหน้าที่สารบรรณ) may do this.');
}

/** A raw SQL condition on alias `d` selecting exactly the documents the actor may read. */
export function readableSql(actor: Actor): { sql: string; replacements: Record<string, unknown> } {
  const replacements = { readerOrg: actor.organisationId, reader: actor.userId };
  if (readsAllSecrets(actor)) return { sql: 'd.organisationId = :readerOrg', replacements };
  return {
    sql: "d.organisationId = :readerOrg AND (d.secrecy = 'normal' OR d.createdById = :reader OR EXISTS (SELECT 1 FROM document_recipients r WHERE r.documentId = d.id AND r.userId = :reader))",
    replacements,
  };
}
