// Registers and running numbers. A number comes from the counter row of (register, B.E. year),
// locked inside the registration's transaction (SELECT … FOR UPDATE on MariaDB; SQLite's IMMEDIATE
// transaction holds the single writer lock), so numbers are gap-free and never duplicated.
import { Op, Sequelize, Transaction, UniqueConstraintError } from 'sequelize';
import { Delivery, Document, OPEN_DELIVERY_STATUSES, Organisation, Register, RegisterCounter, RegisterEntry, Unit, REGISTER_KINDS, EntryDirection } from '../../db/models';
import { conflict, notFound, unprocessable } from '../../lib/errors';
import { Retry, writeTransaction } from '../../lib/transaction';
import { bangkokDate, buddhistYear, thaiDateShort, thaiTime } from '../../lib/thai-date';
import { formatLetterNumber, letterNumberKey } from '../../lib/letter-number';
import { appendAudit } from '../audit/service';
import { indexDocument, prepareTokens, PreparedTokens } from '../search/tokens';
import { recordEvent } from '../events/outbox';
import { stampOnRegistration } from '../signatures/letters';
import { REGISTER_KIND_TH } from '../documents/labels';
import { assertRegistrar, isSecret, maySeeRegister } from '../documents/policy';
import type { Actor } from '../auth/actor';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export function presentRegister(r: Register) {
  return { id: r.id, organisationId: r.organisationId, unitId: r.unitId ?? null, kind: r.kind, nameTh: r.nameTh, active: r.active };
}

export function presentEntry(e: RegisterEntry) {
  return {
    id: e.id, registerId: e.registerId, year: e.year, number: e.number, direction: e.direction, documentId: e.documentId ?? null, status: e.status, letterNumber: e.letterNumber ?? null,
    idempotencyKey: e.idempotencyKey ?? null, note: e.note ?? null, registeredAt: iso(e.registeredAt)!, dateTh: thaiDateShort(e.registeredAt), timeTh: thaiTime(e.registeredAt),
    voidedAt: iso(e.voidedAt), voidReason: e.voidReason ?? null,
  };
}

/** Kinds of book a scope keeps: the secret register is the organisation's alone (one custodian). */
const kindsOf = (unitId: number | null) => REGISTER_KINDS.filter((k) => k !== 'secret' || unitId === null);

/** The organisation's books, and those of its units that keep their own; created on first use. */
export async function ensureRegisters(sequelize: Sequelize, organisationId: number): Promise<Register[]> {
  const org = await Organisation.findByPk(organisationId);
  if (!org) throw notFound('Organisation');
  const units = await Unit.findAll({ where: { organisationId, keepsOwnRegister: true, active: true } });
  const scopes: Array<{ unitId: number | null; name: string }> = [{ unitId: null, name: org.nameTh }, ...units.map((u) => ({ unitId: u.id, name: u.nameTh }))];
  const existing = await Register.findAll({ where: { organisationId } });
  const have = new Set(existing.map((r) => `${r.scopeKey}:${r.kind}`));
  const missing = scopes.flatMap((s) => kindsOf(s.unitId).filter((k) => !have.has(`${s.unitId ?? 0}:${k}`)).map((kind) => ({ ...s, kind })));
  for (const m of missing) {
    try {
      await writeTransaction(sequelize, async (t) => {
        const r = await Register.create({ organisationId, unitId: m.unitId, scopeKey: m.unitId ?? 0, kind: m.kind, nameTh: `${REGISTER_KIND_TH[m.kind]} ${m.name}` }, { transaction: t });
        await appendAudit(t, { organisationId, entityType: 'register', entityId: r.id, action: 'register.created', actorId: null, data: { kind: r.kind, unitId: r.unitId } });
      });
    } catch (err) {
      if (!(err instanceof UniqueConstraintError)) throw err; // another request created it first
    }
  }
  return Register.findAll({ where: { organisationId }, order: [['scopeKey', 'ASC'], ['id', 'ASC']] });
}

/** The books the actor may see (the secret register only for the secrets custodian). */
export async function visibleRegisters(sequelize: Sequelize, actor: Actor): Promise<Register[]> {
  return (await ensureRegisters(sequelize, actor.organisationId)).filter((r) => maySeeRegister(actor, r));
}

/** Not found, rather than forbidden, for a book the actor may not see: the secret register's existence is not revealed. */
export async function findRegister(actor: Actor, registerId: number): Promise<Register> {
  const register = await Register.findByPk(registerId);
  if (!register || !maySeeRegister(actor, register)) throw notFound('Register');
  return register;
}

/** Locks (creating on first use) the counter of a register's year. */
async function lockCounter(t: Transaction, registerId: number, year: number): Promise<RegisterCounter> {
  const counter = await RegisterCounter.findOne({ where: { registerId, year }, transaction: t, lock: t.LOCK.UPDATE });
  if (counter) return counter;
  try {
    return await RegisterCounter.create({ registerId, year, lastNumber: 0 }, { transaction: t });
  } catch (err) {
    if (err instanceof UniqueConstraintError) throw new Retry(); // someone else opened the year first
    throw err;
  }
}

/** Which way a document goes in a book: the ordinary books are one way each; the secret one both. */
const directionOf = (doc: Document): EntryDirection => (doc.direction === 'incoming' ? 'incoming' : 'outgoing');
const directionOfBook = (reg: Register): EntryDirection | null => (reg.kind === 'secret' ? null : reg.kind === 'incoming' ? 'incoming' : 'outgoing');

function documentFits(reg: Register, doc: Document): string | null {
  if (reg.kind === 'secret') return isSecret(doc) ? null : 'only secret letters (ลับ, ลับมาก) go into the secret register';
  if (isSecret(doc)) return 'a secret letter (ลับ, ลับมาก) is registered in the secret register (ทะเบียนหนังสือลับ) by the secrets custodian';
  if (reg.kind === 'incoming') return doc.direction === 'incoming' ? null : 'only incoming letters go into the incoming register';
  if (doc.direction === 'incoming') return 'an incoming letter goes into the incoming register';
  if (reg.kind === 'order' && !(doc.type === 'directive' && doc.subType === 'order')) return 'only orders (คำสั่ง) are numbered in the order series';
  return null;
}

export interface RegistrationInput {
  documentId?: number;
  /** Only for a reservation in the secret register: received or sent (sent by default). */
  direction?: EntryDirection;
  idempotencyKey?: string;
  note?: string;
  /** For tests of the year boundary; the server clock otherwise. */
  now?: Date;
}

export interface Registration {
  entry: RegisterEntry;
  document: Document | null;
  replayed: boolean;
}

/** Takes the next number of the register (for a document, or reserved without one: จองเลข). */
/** Starts the routing of a registered incoming letter, in the registration's transaction. */
export type IncomingRouter = (t: Transaction, doc: Document) => Promise<unknown>;

export async function register(sequelize: Sequelize, actor: Actor, registerId: number, input: RegistrationInput, route?: IncomingRouter): Promise<Registration> {
  const reg = await findRegister(actor, registerId);
  assertRegistrar(actor, reg);
  const bookDirection = directionOfBook(reg);
  if (input.direction && ((bookDirection && input.direction !== bookDirection) || input.documentId)) {
    throw unprocessable('direction is only given for a reservation in the secret register; otherwise the register or the letter decides it.', [{ field: 'direction', message: 'not allowed here' }]);
  }
  // The letter's words are segmented before the counter row is locked (its new number is redone inside).
  const prepared = await prepareTokens(input.documentId ? await Document.findByPk(input.documentId) : null);
  return writeTransaction(sequelize, (t) => registerWithin(t, actor, reg, input, route, prepared));
}

/**
 * The registration itself, in the caller's transaction `t` (the caller found the book and checked
 * the registrar): accepting an arrived letter registers it in the transaction that marks it received.
 * `prepared`: the letter's words segmented before the transaction (search/tokens.ts prepareTokens).
 */
export async function registerWithin(t: Transaction, actor: Actor, reg: Register, input: RegistrationInput, route?: IncomingRouter, prepared?: PreparedTokens): Promise<Registration> {
  const bookDirection = directionOfBook(reg);
  const now = input.now ?? new Date();
  const year = buddhistYear(now);
  const counter = await lockCounter(t, reg.id, year);
  if (input.idempotencyKey) {
    const earlier = await RegisterEntry.findOne({ where: { registerId: reg.id, idempotencyKey: input.idempotencyKey }, transaction: t });
    if (earlier) {
      if ((earlier.documentId ?? undefined) !== input.documentId) throw conflict('This idempotency key was already used for a different registration.', { entryId: earlier.id });
      const doc = earlier.documentId ? await Document.findByPk(earlier.documentId, { transaction: t }) : null;
      return { entry: earlier, document: doc, replayed: true };
    }
  }
  let doc: Document | null = null;
  if (input.documentId) {
    doc = await Document.findByPk(input.documentId, { transaction: t, lock: t.LOCK.UPDATE });
    if (!doc || doc.organisationId !== actor.organisationId) throw unprocessable('documentId is not a document of your organisation.', [{ field: 'documentId', message: 'not found' }]);
    if (doc.registerId) throw conflict(`The document is already registered (number ${doc.registerNumber}/${doc.registerYear}).`);
    if (doc.status !== 'draft') throw conflict(`The document is ${doc.status}.`);
    const misfit = documentFits(reg, doc);
    if (misfit) throw unprocessable(misfit, [{ field: 'documentId', message: misfit }]);
  }
  const direction = bookDirection ?? (doc ? directionOf(doc) : input.direction ?? 'outgoing');
  const number = counter.lastNumber + 1;
  await RegisterCounter.update({ lastNumber: number }, { where: { registerId: reg.id, year }, transaction: t });

  let letterNumber: string | null = null;
  if (direction === 'incoming') letterNumber = doc?.letterNumber ?? null;
  else letterNumber = formatLetterNumber(reg.kind, await ownerCodeFor(t, reg, doc), number, year);

  const entry = await RegisterEntry.create(
    {
      registerId: reg.id, year, number, direction, documentId: doc?.id ?? null, status: doc ? 'registered' : 'reserved', letterNumber,
      idempotencyKey: input.idempotencyKey ?? null, note: input.note ?? null, registeredAt: now, registeredById: actor.userId,
    },
    { transaction: t },
  );
  if (doc) {
    const changes: Record<string, unknown> = { status: 'registered', registerId: reg.id, registerYear: year, registerNumber: number, registeredAt: now };
    if (direction !== 'incoming') Object.assign(changes, { letterNumber, letterNumberKey: letterNumberKey(letterNumber!), letterDate: doc.letterDate ?? bangkokDate(now) });
    await doc.update(changes, { transaction: t });
    await indexDocument(t, doc, prepared);
  }
  await appendAudit(t, {
    organisationId: reg.organisationId, entityType: 'register_entry', entityId: entry.id, action: doc ? 'register.entry.registered' : 'register.entry.reserved', actorId: actor.userId,
    data: { registerId: reg.id, year, number, direction, documentId: doc?.id ?? null, letterNumber },
  });
  if (doc && direction === 'incoming') await onIncomingLetterRegistered(t, doc, entry, route);
  return { entry, document: doc, replayed: false };
}

/** ที่ of an outgoing letter: the issuing unit's owner code, else the book's unit, else the agency code. */
async function ownerCodeFor(t: Transaction, reg: Register, doc: Document | null): Promise<string> {
  for (const unitId of [doc?.unitId, reg.unitId]) {
    if (!unitId) continue;
    const unit = await Unit.findByPk(unitId, { transaction: t });
    if (unit?.ownerCode) return unit.ownerCode;
  }
  const org = await Organisation.findByPk(reg.organisationId, { transaction: t });
  return org!.agencyCode;
}

/**
 * An incoming letter was registered (in transaction `t`): record `letter.received` and start the
 * organisation's routing process (processes/incoming-letter.bpmn) for it, in the same transaction.
 */
export async function onIncomingLetterRegistered(t: Transaction, doc: Document, entry: RegisterEntry, route?: IncomingRouter): Promise<void> {
  if (route) await route(t, doc);
  stampOnRegistration(t, doc, entry); // its PDF gets the receive stamp once this commits
  await recordEvent(t, {
    type: 'letter.received',
    organisationId: doc.organisationId,
    subject: { type: 'document', id: doc.id },
    audience: { unitIds: doc.unitId ? [doc.unitId] : [] },
    // A secret letter's push names no book or number: the unit's members may not know the secret register.
    summary: isSecret(doc)
      ? { documentId: doc.id, urgency: doc.urgency, secrecy: doc.secrecy }
      : { documentId: doc.id, registerId: entry.registerId, year: entry.year, number: entry.number, urgency: doc.urgency, secrecy: doc.secrecy },
  });
}

/** An entry of a book the actor may see (locked when in a transaction); 404 otherwise. */
export async function findEntryById(actor: Actor, entryId: number, t?: Transaction): Promise<{ entry: RegisterEntry; reg: Register }> {
  const entry = await RegisterEntry.findByPk(entryId, t ? { transaction: t, lock: t.LOCK.UPDATE } : {});
  const reg = entry ? await Register.findByPk(entry.registerId, { transaction: t }) : null;
  if (!entry || !reg || !maySeeRegister(actor, reg)) throw notFound('Register entry');
  return { entry, reg };
}

/** A voided number stays in the book, marked voided, and is never given out again. */
export async function voidEntry(sequelize: Sequelize, actor: Actor, entryId: number, reason: string): Promise<RegisterEntry> {
  // 404 for a book the actor may not see before any work is done for them; then the letter's words
  // are segmented outside the transaction.
  const { entry: seen } = await findEntryById(actor, entryId);
  const prepared = await prepareTokens(seen.documentId ? await Document.findByPk(seen.documentId) : null);
  return writeTransaction(sequelize, async (t) => {
    const { entry, reg } = await findEntryById(actor, entryId, t);
    assertRegistrar(actor, reg);
    if (entry.status === 'voided') throw conflict('The number is already voided.');
    // A letter that went out under this number stays numbered while any recipient holds or has it.
    const held = entry.documentId ? await Delivery.count({ where: { documentId: entry.documentId, status: [...OPEN_DELIVERY_STATUSES, 'received'] }, transaction: t }) : 0;
    if (held) throw conflict(`The letter was sent under this number and ${held} recipient(s) hold it: withdraw the open deliveries first; a received letter keeps its number.`);
    await entry.update({ status: 'voided', voidedAt: new Date(), voidedById: actor.userId, voidReason: reason }, { transaction: t });
    // The letter itself goes back to unnumbered (a draft), so it can be numbered again; the voided
    // line keeps pointing at it as history.
    if (entry.documentId) {
      const reset: Record<string, unknown> = { status: 'draft', registerId: null, registerYear: null, registerNumber: null, registeredAt: null };
      if (entry.direction !== 'incoming') Object.assign(reset, { letterNumber: null, letterNumberKey: null });
      await Document.update(reset, { where: { id: entry.documentId, registerId: reg.id, registerNumber: entry.number }, transaction: t });
      const doc = await Document.findByPk(entry.documentId, { transaction: t });
      if (doc) await indexDocument(t, doc, prepared);
    }
    await appendAudit(t, { organisationId: reg.organisationId, entityType: 'register_entry', entityId: entry.id, action: 'register.entry.voided', actorId: actor.userId, data: { registerId: reg.id, year: entry.year, number: entry.number, reason } });
    return entry;
  });
}

/**
 * Entries in number order; `fromNumber` pages by key, `offset` by count. Numbers are gap-free, so
 * a page is exactly the range from..from+limit-1: a bounded index range at any depth (MariaDB
 * plans `number >= x ORDER BY number LIMIT n` as a prefix scan, O(x)).
 */
export async function listEntries(registerId: number, year: number, options: { limit?: number; offset?: number; fromNumber?: number } = {}) {
  const from = options.fromNumber;
  const where = { registerId, year, ...(from ? { number: options.limit ? { [Op.between]: [from, from + options.limit - 1] } : { [Op.gte]: from } } : {}) };
  return RegisterEntry.findAll({ where, order: [['number', 'ASC']], limit: options.limit, offset: options.fromNumber ? undefined : options.offset });
}

export async function findEntry(actor: Actor, registerId: number, year: number, number: number) {
  await findRegister(actor, registerId);
  const entry = await RegisterEntry.findOne({ where: { registerId, year, number: { [Op.eq]: number } } });
  if (!entry) throw notFound('Register entry');
  return entry;
}
