// Who may do what with a delivery.
// - Sending: a registry clerk of the sending organisation who may read the letter; a secret letter
//   (ลับ, ลับมาก) is sent by the organisation's secrets custodian, who numbered it.
// - Addressing: any active organisation of this deployment except the sender itself. The regulation
//   lets any agency write to any other (a province reports to the ministry, a ministry writes to a
//   department of another line), and the deployment's directory is shared, so the org tree does not
//   limit who may be addressed. A letter inside one organisation is routed, not sent: addressing
//   your own organisation is outside what may be addressed (403).
// - The tray: the recipient organisation's registry clerks see ordinary letters; a secret letter
//   reaches only its secrets custodian (นายทะเบียนเอกสารลับ). Anyone else learns nothing of it (404).
import type { Delivery, Document, Organisation } from '../../db/models';
import { forbidden, notFound } from '../../lib/errors';
import type { Actor } from '../auth/actor';
import { isSecret, readsAllSecrets } from '../documents/policy';

const isClerk = (actor: Actor) => actor.roles.has('registry_clerk');

/** The sender's registrar for this letter: the custodian for a secret letter, a clerk otherwise. */
export function assertMaySend(actor: Actor, doc: Pick<Document, 'secrecy'>): void {
  if (isSecret(doc)) {
    if (!readsAllSecrets(actor)) throw forbidden('หนังสือลับส่งได้โดยนายทะเบียนเอกสารลับเท่านั้น (Only the secrets custodian sends a secret letter.)');
  } else if (!isClerk(actor)) throw forbidden('ส่งหนังสือได้โดยเจ้าหน้าที่สารบรรณเท่านั้น (Only a registry clerk sends letters.)');
}

/** Why an active organisation may not be addressed by this sender (null: it may). */
export function addressRefusal(senderOrganisationId: number, recipient: Pick<Organisation, 'id' | 'nameTh'>): string | null {
  if (Number(recipient.id) === senderOrganisationId) return `${recipient.nameTh} is your own organisation: a letter inside it is routed, not sent.`;
  return null;
}

/** The recipient side of a delivery to the actor's organisation (the tray). */
export function mayReceive(actor: Actor, d: Pick<Delivery, 'recipientKind' | 'recipientOrganisationId' | 'secrecy'>): boolean {
  if (d.recipientKind !== 'organisation' || Number(d.recipientOrganisationId) !== actor.organisationId) return false;
  return d.secrecy !== 'normal' ? readsAllSecrets(actor) : isClerk(actor);
}

/** The sending side: the clerks (custodian for secret letters) of the sending organisation. A letter from a citizen or from an agency elsewhere has no sending side here (the receiving organisation only holds it). */
export function mayManageSent(actor: Actor, d: Pick<Delivery, 'senderOrganisationId' | 'secrecy' | 'senderAgencyId'> & { senderKind?: string }): boolean {
  if (d.senderKind === 'citizen' || d.senderAgencyId || Number(d.senderOrganisationId) !== actor.organisationId) return false;
  return d.secrecy !== 'normal' ? readsAllSecrets(actor) : isClerk(actor);
}

/** Not found rather than forbidden: a delivery of another tray is not revealed. */
export function assertSeen(actor: Actor, d: Delivery | null): { delivery: Delivery; side: 'sender' | 'recipient' } {
  if (d && mayReceive(actor, d)) return { delivery: d, side: 'recipient' };
  if (d && mayManageSent(actor, d)) return { delivery: d, side: 'sender' };
  throw notFound('Delivery');
}

export function assertReceiver(actor: Actor, d: Delivery | null): Delivery {
  if (!d || !mayReceive(actor, d)) throw notFound('Delivery');
  return d;
}

export function assertSender(actor: Actor, d: Delivery | null): Delivery {
  if (!d || !mayManageSent(actor, d)) throw notFound('Delivery');
  return d;
}

/** Which trays the actor reads: ordinary letters for a clerk, secret ones for the custodian. */
export function traySecrecies(actor: Actor): Array<'normal' | 'secret'> {
  const out: Array<'normal' | 'secret'> = [];
  if (isClerk(actor)) out.push('normal');
  if (readsAllSecrets(actor)) out.push('secret');
  return out;
}
