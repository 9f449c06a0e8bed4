// What a reader may see of the content a process carries from its letter: task titles (the
// subject), history details (the variables a step was completed with: endorsements, summaries,
// results; comments), the notes of its route. One rule for every read path — workflow instances
// and history, the inbox, task comments, the monitor — so a second path never shows more than
// the letter itself would: the content shows only inside the letter's own organisation (documents
// never cross organisations) and, when a process is for a letter, only to those who may read that
// letter (documents/policy.ts: named readers, the author and the custodian for ลับ / ลับมาก).
import type { Transaction } from 'sequelize';
import { Document } from '../../db/models';
import type { Actor } from '../auth/actor';
import { readableIds } from './policy';

/** Something that carries a letter's content: an instance, a task (its organisation and letter). */
export interface CarriesContent {
  organisationId: number;
  documentId?: number | string | null;
}

/** Whether the reader may see the content of one item of those the disclosure was made for. */
export type Disclosure = (item: CarriesContent) => boolean;

/** The reader's disclosure for many items at once (one look at their letters). */
export async function disclosure(actor: Actor, items: CarriesContent[], transaction?: Transaction): Promise<Disclosure> {
  const ids = [...new Set(items.filter((i) => i.organisationId === actor.organisationId && i.documentId != null).map((i) => Number(i.documentId)))];
  const docs = ids.length ? await Document.findAll({ where: { id: ids }, attributes: ['id', 'organisationId', 'secrecy', 'createdById'], transaction }) : [];
  const readable = await readableIds(actor, docs, transaction);
  return (item) => item.organisationId === actor.organisationId && (item.documentId == null || readable.has(Number(item.documentId)));
}
