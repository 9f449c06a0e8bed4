// Search: Thai words (segmented like the index) AND-ed together, plus filters; the readable-set
// condition is part of the same SQL, so results never include what the searcher may not read.
import { QueryTypes, Sequelize } from 'sequelize';
import { Document } from '../../db/models';
import { letterNumberKey } from '../../lib/letter-number';
import type { Actor } from '../auth/actor';
import { readableSql } from '../documents/policy';
import { tokenize } from './tokens';

export interface SearchQuery {
  q?: string;
  letterNumber?: string;
  type?: string;
  direction?: string;
  registerId?: number;
  year?: number;
  urgency?: string;
  secrecy?: string;
  from?: string;
  to?: string;
  unitId?: number;
  limit: number;
  offset: number;
}

export async function searchDocuments(sequelize: Sequelize, actor: Actor, query: SearchQuery): Promise<{ items: Document[]; hasMore: boolean; tokens: string[] }> {
  const readable = readableSql(actor);
  const where: string[] = [readable.sql];
  const replacements: Record<string, unknown> = { ...readable.replacements, limit: query.limit + 1, offset: query.offset };
  // Longest word first: usually the rarest, so it drives the join; the others are index probes.
  const tokens = tokenize(query.q).sort((a, b) => b.length - a.length).slice(0, 12);
  let from = 'documents d';
  tokens.forEach((token, i) => {
    replacements[`t${i}`] = token;
    if (i === 0) from = 'search_tokens t0 JOIN documents d ON d.id = t0.documentId';
    else where.push(`EXISTS (SELECT 1 FROM search_tokens t${i} WHERE t${i}.documentId = d.id AND t${i}.token = :t${i})`);
  });
  if (tokens.length) where.push('t0.token = :t0');
  const eq = (column: string, key: keyof SearchQuery) => {
    if (query[key] === undefined || query[key] === null || query[key] === '') return;
    where.push(`d.${column} = :${key}`);
    replacements[key] = query[key];
  };
  eq('type', 'type');
  eq('direction', 'direction');
  eq('registerId', 'registerId');
  eq('registerYear', 'year');
  eq('urgency', 'urgency');
  eq('secrecy', 'secrecy');
  eq('unitId', 'unitId');
  if (query.letterNumber) {
    where.push('d.letterNumberKey = :letterNumberKey');
    replacements.letterNumberKey = letterNumberKey(query.letterNumber);
  }
  // Dates are Bangkok calendar days of registration.
  if (query.from) {
    where.push('d.registeredAt >= :fromInstant');
    replacements.fromInstant = new Date(`${query.from}T00:00:00+07:00`);
  }
  if (query.to) {
    where.push('d.registeredAt < :toInstant');
    replacements.toInstant = new Date(new Date(`${query.to}T00:00:00+07:00`).getTime() + 24 * 3600e3);
  }
  const sql = `SELECT d.id FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${tokens.length ? 't0.documentId' : 'd.id'} DESC LIMIT :limit OFFSET :offset`;
  const rows = (await sequelize.query(sql, { replacements, type: QueryTypes.SELECT })) as Array<{ id: number }>;
  const hasMore = rows.length > query.limit;
  const ids = rows.slice(0, query.limit).map((r) => Number(r.id));
  const docs = ids.length ? await Document.findAll({ where: { id: ids } }) : [];
  const byId = new Map(docs.map((d) => [d.id, d]));
  return { items: ids.map((id) => byId.get(id)!).filter(Boolean), hasMore, tokens };
}
