// Forwarding a letter outside a process step (ส่งต่อหนังสือ): a registry clerk of the organisation,
// or someone holding an open task on the letter, hands it to a person, a unit or a position. The
// recipient gets a real task, "พิจารณา/ดำเนินการ" of processes/forward-letter.bpmn, so the letter
// shows up in their inbox and in its route like any other step, and the forwarding is audited.
// - Never across organisations: a letter for another agency leaves as an outgoing letter.
// - A ลับ / ลับมาก letter goes only to a named person, who becomes one of its named recipients
//   (the only way besides the custodian and the author to read it); a unit or a position is many
//   people, so forwarding a secret letter to one is refused.
import type { Sequelize } from 'sequelize';
import { z } from '../../lib/openapi';
import { Document, DocumentRecipient, HistoryEntry, Position, Task, Unit, User } from '../../db/models';
import { conflict, forbidden, unprocessable } from '../../lib/errors';
import { writeTransaction } from '../../lib/transaction';
import { appendAudit } from '../audit/service';
import { isSecret } from '../documents/policy';
import { SECRECY } from '../documents/labels';
import { taskAccess } from '../tasks/policy';
import type { Actor } from '../auth/actor';
import type { WorkflowRuntime } from './runtime';
import { activeDefinition } from './definitions';
import { documentVariables } from './routing';

export const FORWARD_KEY = 'forward_letter';

const id = z.number().int().positive();
export const ForwardBody = z
  .object({
    toUserId: id.optional().openapi({ description: 'a person of your organisation' }),
    toUnitId: id.optional().openapi({ description: 'a unit of your organisation: everyone in it may take the task' }),
    toPositionId: id.optional().openapi({ description: 'a position of your organisation: its holder, or whoever acts for it today' }),
    note: z.string().trim().max(1000).optional().openapi({ description: 'what the recipient should do: a comment on their task' }),
  })
  .strict()
  .refine((b) => [b.toUserId, b.toUnitId, b.toPositionId].filter((v) => v !== undefined).length === 1, { message: 'Give exactly one of toUserId, toUnitId or toPositionId.' })
  .openapi('ForwardLetter');
type ForwardInput = z.output<typeof ForwardBody>;

/** The clerk of the letter's organisation, or someone who may work on an open task of it. */
async function assertMayForward(actor: Actor, doc: Document): Promise<void> {
  if (actor.roles.has('registry_clerk') && actor.organisationId === doc.organisationId) return;
  const open = await Task.findAll({ where: { documentId: doc.id, status: 'open' } });
  for (const task of open) if ((await taskAccess(task, actor)).canWork) return;
  throw forbidden('Only a registry clerk (เจ้าหน้าที่สารบรรณ) or someone holding this letter (an open task on it) may forward it.');
}

const outside = (field: string) =>
  unprocessable('A letter is forwarded only inside its own organisation; to reach another organisation, send it as an outgoing letter (หนังสือส่ง).', [{ field, message: 'not an active member of the letter\'s organisation' }]);

/** The performer token of the recipient, checked to be active and in the letter's organisation. */
async function recipientOf(doc: Document, input: ForwardInput): Promise<{ token: string; kind: 'user' | 'unit' | 'position'; id: number; name: string }> {
  if (input.toUserId !== undefined) {
    const user = await User.findByPk(input.toUserId);
    if (!user || user.organisationId !== doc.organisationId || user.active === false) throw outside('toUserId');
    return { token: `user:${user.id}`, kind: 'user', id: user.id, name: user.displayName };
  }
  if (isSecret(doc)) {
    throw unprocessable(`A ${SECRECY[doc.secrecy].th} letter is forwarded only to a named person (toUserId), who becomes one of its named recipients; a unit or a position is many people.`, [
      { field: input.toUnitId !== undefined ? 'toUnitId' : 'toPositionId', message: 'secret letters go to a person' },
    ]);
  }
  if (input.toUnitId !== undefined) {
    const unit = await Unit.findByPk(input.toUnitId);
    if (!unit || unit.organisationId !== doc.organisationId || unit.active === false) throw outside('toUnitId');
    return { token: `unit:${unit.id}`, kind: 'unit', id: unit.id, name: unit.nameTh };
  }
  const position = await Position.findByPk(input.toPositionId!);
  if (!position || position.organisationId !== doc.organisationId || position.active === false) throw outside('toPositionId');
  return { token: `position:${position.id}`, kind: 'position', id: position.id, name: position.titleTh };
}

export async function forward(sequelize: Sequelize, runtime: WorkflowRuntime, actor: Actor, doc: Document, input: ForwardInput) {
  if (!['registered', 'sent'].includes(doc.status)) throw conflict(`Only a registered or sent letter is forwarded; this one is ${doc.status}.`);
  await assertMayForward(actor, doc);
  const recipient = await recipientOf(doc, input);
  const definition = await activeDefinition(doc.organisationId, FORWARD_KEY);
  const own = actor.capacities.find((c) => c.capacity === 'self');
  return writeTransaction(sequelize, async (t) => {
    await Document.findByPk(doc.id, { transaction: t, lock: t.LOCK.UPDATE });
    let namedRecipient = false;
    if (isSecret(doc) && recipient.kind === 'user' && !(await DocumentRecipient.findOne({ where: { documentId: doc.id, userId: recipient.id }, transaction: t }))) {
      await DocumentRecipient.create({ documentId: doc.id, userId: recipient.id }, { transaction: t });
      namedRecipient = true;
    }
    const { instance, createdTasks } = await runtime.start({
      definition, organisationId: doc.organisationId, documentId: Number(doc.id), transaction: t,
      starter: { userId: actor.userId, positionId: own?.positionId ?? null, capacity: 'self' }, starterUsername: actor.user.username,
      variables: { document: documentVariables(doc), recipient: recipient.token, note: input.note ?? null, forwardedBy: actor.user.displayName },
    });
    // The note travels as the forwarder's comment on the new task: the recipient reads it there
    // (GET /tasks/:id/comments), and only those who see the task do.
    if (input.note) {
      for (const task of createdTasks) {
        await HistoryEntry.create({
          instanceId: instance.id, organisationId: instance.organisationId, processKey: instance.processKey, elementId: task.elementId, elementType: 'bpmn:UserTask',
          event: 'task.commented', taskId: task.id, userId: actor.userId, capacity: 'self', forPositionId: own?.positionId ?? null, detail: JSON.stringify({ text: input.note }), at: new Date(),
        }, { transaction: t });
      }
    }
    await appendAudit(t, {
      organisationId: doc.organisationId, entityType: 'document', entityId: doc.id, action: 'document.forwarded', actorId: actor.userId,
      // A secret letter's note stays out of the audit chain, as its subject stays out of tasks.
      data: { to: { kind: recipient.kind, id: recipient.id }, instanceId: Number(instance.id), namedRecipient, note: isSecret(doc) ? null : (input.note ?? null) },
    });
    return { instanceId: Number(instance.id), taskIds: createdTasks.map((task) => Number(task.id)), to: { kind: recipient.kind, id: recipient.id, name: recipient.name } };
  });
}

export const ForwardResult = z
  .object({ instanceId: z.number().int(), taskIds: z.array(z.number().int()), to: z.object({ kind: z.enum(['user', 'unit', 'position']), id: z.number().int(), name: z.string() }) })
  .openapi('ForwardedLetter');

