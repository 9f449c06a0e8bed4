// What an organisation adds to its letters: Thai digits or not, its Garuda image, and its own
// versions of templates. Templates are kept in the database rather than in a folder of files:
// the organisation's administrator changes them through the API (scoped, audited, the same on
// every server process and machine), and an organisation below uses the nearest ancestor's
// version until it makes its own, as with processes.
import fs from 'node:fs';
import type { Transaction } from 'sequelize';
import { dataDir } from '../../../config/database';
import { Document, LetterSettings, LetterTemplate, Organisation, Unit } from '../../db/models';
import { ancestorsOf } from '../org/policy';
import { blobPath } from '../attachments/storage';
import type { LetterIssuer } from './compose';
import { letterFieldsOf, renderLetterPdf, type LetterRenderOptions, type RenderedLetter } from './render';

export interface LetterContext {
  issuer: LetterIssuer;
  options: Pick<LetterRenderOptions, 'thaiDigits' | 'garuda' | 'templates'>;
}

/** The garuda of an organisation, or null when it has not uploaded one (or its file is gone). */
export async function garudaOf(settings: LetterSettings | null, dir = dataDir()): Promise<{ body: Buffer; mime: string } | null> {
  if (!settings?.garudaSha256 || !settings.garudaMime) return null;
  try {
    return { body: await fs.promises.readFile(blobPath(dir, settings.garudaSha256)), mime: settings.garudaMime };
  } catch {
    return null;
  }
}

/** The issuer, settings and templates an organisation's letters are drawn with. */
/** `dir`: where blobs are kept (the server's DATA_DIR). */
export async function letterContext(organisationId: number, unitId: number | null, options: { transaction?: Transaction; dataDir?: string } = {}): Promise<LetterContext> {
  const { transaction } = options;
  const [org, unit, settings] = await Promise.all([
    Organisation.findByPk(organisationId, { transaction }),
    unitId ? Unit.findByPk(unitId, { transaction }) : null,
    LetterSettings.findByPk(organisationId, { transaction }),
  ]);
  const chain = [organisationId, ...(await ancestorsOf(organisationId, transaction))];
  const rows = await LetterTemplate.findAll({ where: { organisationId: chain }, transaction });
  const own = new Map<string, string>();
  // Nearest first: the organisation's own version, else its parent's, and so on up.
  for (const id of chain) for (const r of rows) if (Number(r.organisationId) === id && !own.has(r.name)) own.set(r.name, r.html);
  return {
    issuer: {
      nameTh: org?.nameTh ?? '', address: org?.address ?? null, phone: org?.phone ?? null, email: org?.email ?? null,
      unitName: unit && Number(unit.organisationId) === organisationId ? unit.nameTh : null,
    },
    options: { thaiDigits: settings?.thaiDigits ?? false, garuda: await garudaOf(settings, options.dataDir), templates: (name) => own.get(name) },
  };
}

/**
 * A stored document as its letter. A draft is marked ร่าง and keeps room for the signature; a
 * numbered letter not signed digitally carries the typed name, as the 2564 amendment allows.
 * The signing step passes `signature` (mode `digital`, the capacity it signs in).
 */
export async function renderDocumentPdf(doc: Document, options: Pick<LetterRenderOptions, 'signature' | 'verification'> & { dataDir?: string; transaction?: Transaction } = {}): Promise<RenderedLetter> {
  const ctx = await letterContext(doc.organisationId, doc.unitId, { dataDir: options.dataDir, transaction: options.transaction });
  const draft = doc.status === 'draft';
  const signature = options.signature ?? { mode: !draft && doc.signerName ? 'typed' : 'none' };
  return renderLetterPdf(letterFieldsOf(doc), ctx.issuer, { ...ctx.options, draft, signature, verification: options.verification });
}
