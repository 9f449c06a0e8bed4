// What the ECMS adapter needs from the rest of Saraban, as small interfaces: the lead wires them to
// the directory of agencies, the deployment's exchange keys and the arrivals tray (see wiring notes
// in README.md). Nothing here imports the database.
import type { EcmsLetter, EcmsNotifier, EcmsWithdrawal, EcmsOrganisation } from './messages';

/** A directory entry whose transport is `ecms`. */
export interface EcmsPeer {
  ecmsOrganisationId: string;
  /** The peer's SOAP endpoint (its own system, or its ECMS node). */
  endpointUrl: string;
  /** X.509 (PEM) that verifies what this peer signs; the only certificate we trust for it. */
  certificatePem: string;
}

/** This deployment's side: who we are to ECMS, and the key we sign with (never logged or returned). */
export interface EcmsIdentity {
  ecmsOrganisationId: string;
  privateKeyPem: string;
  certificatePem: string;
}

/** Who sent a verified message (for the arrivals tray and the audit trail). */
export interface EcmsOrigin {
  peer: EcmsPeer;
  messageId: string;
  receivedAt: Date;
}

export interface ArrivedLetter {
  letter: EcmsLetter;
  /** The signed rsm:GovernmentDocument as received (UTF-8 XML, as the message signature covered it): keep it as the proof of origin. */
  signedDocument: Buffer;
}

/** The callbacks the lead wires into deliveries. Throwing an EcmsHandlerError refuses with its status. */
export interface EcmsHandlers {
  /** Store the letter in the receiver's arrivals tray; return the receipt id (ProcessID) to answer with. Must be idempotent per (sender, letter number, date). */
  onLetterArrived(arrived: ArrivedLetter, origin: EcmsOrigin): Promise<{ processId: string }>;
  /**
   * Apply a notifier (received / accepted + receive number / rejected / wrong letter / wrong receive number) to our outgoing delivery.
   * `answeredBy`: the ECMS organisation here that sent the letter (the answer's wsa:From); default: the identity's.
   */
  onNotifier(notifier: EcmsNotifier, origin: EcmsOrigin): Promise<{ processId: string; answeredBy?: string }>;
  /** The sender withdraws a letter (after a rejection or an invalid notice) to resend it. Return false when no such letter is here. */
  onWithdraw(withdrawal: EcmsWithdrawal, origin: EcmsOrigin): Promise<boolean>;
  /** Organisations this node can reach (GetOrganizationList); ministries only with `ministriesOnly`. */
  organisations(filter: { ministriesOnly: boolean; ministryId?: string }): Promise<EcmsOrganisation[]>;
}

export class EcmsHandlerError extends Error {
  constructor(public status: 400 | 403 | 404 | 409 | 422, public code: string, message: string) {
    super(message);
  }
}

/** A refused request, for the administrators' record (never shown to clerks; no letter content). */
export interface RefusalRecord {
  at: Date;
  status: number;
  code: string;
  reason: string;
  remoteAddress?: string;
  claimedPeer?: string;
  messageId?: string;
  bytes: number;
}

/**
 * Message ids per peer: exactly once, and replays refused. A claim is a lease: if the process dies
 * while handling, the sender's retry takes the claim over after the lease and is processed (the
 * handlers are idempotent per letter); once completed, the id is kept until its freshness window
 * has passed (older messages are refused as stale anyway).
 */
export interface ReplayStore {
  claim(peerOrganisationId: string, messageId: string, leaseUntil: Date): Promise<'claimed' | 'in_progress' | 'done'>;
  complete(peerOrganisationId: string, messageId: string, keepUntil: Date): Promise<void>;
  /** Gives a claim back when processing failed, so the sender's retry is processed. */
  release(peerOrganisationId: string, messageId: string): Promise<void>;
}

export interface QueuedItem { processId: string; processTime: Date; payloadXml: string }

/** Items waiting for a peer that polls us (CorrespondenceLetterInboundRequest), in order. */
export interface PickupQueue {
  /** `processId`: the caller's own id for the item (a retry of the same enqueue then finds it); default: a new one. */
  enqueue(peerOrganisationId: string, payloadXml: string, processId?: string): Promise<QueuedItem>;
  next(peerOrganisationId: string): Promise<QueuedItem | null>;
  get(peerOrganisationId: string, processId: string): Promise<QueuedItem | null>;
  remove(peerOrganisationId: string, processId: string): Promise<boolean>;
}
