// The directory of agencies elsewhere, and the signed introduction two agencies swap to enter each
// other: a flattened JWS whose payload is the agency's entry (names, codes, transport, endpoint) and
// whose x5c is the certificate it signs with. Importing one checks that the file is signed by the key
// of the certificate it carries (so the endpoint and codes come from the key holder); the
// administrators compare the fingerprint over a second channel (a phone call) before relying on it.
import { Op, UniqueConstraintError } from 'sequelize';
import { ExchangePeer, Organisation, ExchangeTransport } from '../../db/models';
import { conflict, notFound, unprocessable } from '../../lib/errors';
import { parseCertificate, publicIdentity, sha256Hex } from './identity';
import { parseJws, Refusal, selfCertificate, signMessage, TYP, verifyWith } from './envelope';

export interface PeerInput {
  nameTh: string;
  nameEn?: string | null;
  ministryCode?: string | null;
  agencyCode: string;
  ecmsOrganisationId?: string | null;
  transport: ExchangeTransport;
  endpointUrl?: string | null;
  email?: string | null;
  certificatePem?: string | null;
  active?: boolean;
}

export function presentPeer(p: ExchangePeer) {
  return {
    id: Number(p.id), nameTh: p.nameTh, nameEn: p.nameEn ?? null, ministryCode: p.ministryCode ?? null, agencyCode: p.agencyCode, ecmsOrganisationId: p.ecmsOrganisationId ?? null,
    transport: p.transport, endpointUrl: p.endpointUrl ?? null, email: p.email ?? null, certificatePem: p.certificatePem ?? null, certificateSha256: p.certificateSha256 ?? null,
    active: Boolean(p.active), createdAt: new Date(p.createdAt).toISOString(), updatedAt: new Date(p.updatedAt).toISOString(),
  };
}

/** What each transport needs to reach the agency; 422 names the missing field. */
function assertUsable(v: PeerInput): void {
  const missing: string[] = [];
  if (v.transport === 'saraban' && !v.endpointUrl) missing.push('endpointUrl');
  if (v.transport === 'saraban' && !v.certificatePem) missing.push('certificatePem');
  if (v.transport === 'ecms' && !v.ecmsOrganisationId) missing.push('ecmsOrganisationId');
  if (v.transport === 'email' && !v.email) missing.push('email');
  if (missing.length) throw unprocessable(`A ${v.transport} agency needs ${missing.join(', ')}.`, missing.map((field) => ({ field, message: `required for transport ${v.transport}` })));
}

function columns(v: PeerInput) {
  const cert = v.certificatePem ? parseCertificate(v.certificatePem) : null;
  return {
    nameTh: v.nameTh, nameEn: v.nameEn ?? null, ministryCode: v.ministryCode ?? null, agencyCode: v.agencyCode, ecmsOrganisationId: v.ecmsOrganisationId ?? null,
    transport: v.transport, endpointUrl: v.endpointUrl ?? null, email: v.email ?? null, certificatePem: cert ? cert.toString('pem') : null,
    certificateSha256: cert ? sha256Hex(cert.rawData) : null, ...(v.active === undefined ? {} : { active: v.active }),
  };
}

const taken = (v: PeerInput) => conflict(`${v.agencyCode} is already in the directory for transport ${v.transport}.`, [{ field: 'agencyCode', message: 'already in the directory' }]);

export async function createPeer(v: PeerInput): Promise<ExchangePeer> {
  assertUsable(v);
  try {
    return await ExchangePeer.create(columns(v));
  } catch (err) {
    if (err instanceof UniqueConstraintError) throw taken(v);
    throw err;
  }
}

export async function updatePeer(id: number, patch: Partial<PeerInput>): Promise<ExchangePeer> {
  const peer = await ExchangePeer.findByPk(id);
  if (!peer) throw notFound('Directory entry');
  const merged = { ...presentPeer(peer), ...patch } as PeerInput;
  assertUsable(merged);
  try {
    return await peer.update(columns(merged));
  } catch (err) {
    if (err instanceof UniqueConstraintError) throw taken(merged);
    throw err;
  }
}

export async function listPeers(q: { transport?: ExchangeTransport; search?: string }): Promise<ExchangePeer[]> {
  const where: Record<string | symbol, unknown> = {};
  if (q.transport) where.transport = q.transport;
  if (q.search) where[Op.or] = [{ nameTh: { [Op.like]: `%${q.search}%` } }, { nameEn: { [Op.like]: `%${q.search}%` } }, { agencyCode: { [Op.like]: `%${q.search}%` } }];
  return ExchangePeer.findAll({ where, order: [['nameTh', 'ASC'], ['id', 'ASC']], limit: 1000 });
}

/** Where peers post envelopes to this deployment. */
export const inboxUrl = (publicUrl: string) => `${publicUrl.replace(/\/$/, '')}/api/exchange/inbox`;

/** The signed introduction of one organisation of this deployment (what the other agency imports). */
export async function introduction(organisationId: number, publicUrl: string): Promise<{ file: string; certificateSha256: string }> {
  const org = await Organisation.findByPk(organisationId);
  if (!org) throw notFound('Organisation');
  const entry = {
    v: 1, nameTh: org.nameTh, nameEn: org.nameEn ?? null, ministryCode: org.ministryCode ?? null, agencyCode: org.agencyCode, ecmsOrganisationId: org.interchangeId ?? null,
    transport: 'saraban', endpointUrl: inboxUrl(publicUrl), email: org.email ?? null, issuedAt: new Date().toISOString(),
  };
  const jws = await signMessage(TYP.introduction, entry);
  return { file: JSON.stringify(jws), certificateSha256: (await publicIdentity()).certificateSha256 };
}

/** Takes an introduction into the directory (a new entry, or the same agency's entry updated). */
export async function importIntroduction(file: string): Promise<{ peer: ExchangePeer; created: boolean }> {
  let payload: Record<string, unknown>;
  let certPem: string;
  try {
    const { jws, header } = parseJws(file);
    const cert = selfCertificate(header);
    payload = await verifyWith(jws, cert, TYP.introduction);
    certPem = cert.toString('pem');
  } catch (err) {
    if (err instanceof Refusal) throw unprocessable(`Not a valid signed introduction: ${err.message}`, [{ field: 'file', message: err.reason }]);
    throw err;
  }
  const s = (k: string, max: number) => (typeof payload[k] === 'string' && (payload[k] as string).length <= max ? (payload[k] as string) : null);
  const input: PeerInput = {
    nameTh: s('nameTh', 255) ?? '', nameEn: s('nameEn', 255), ministryCode: s('ministryCode', 16), agencyCode: s('agencyCode', 64) ?? '', ecmsOrganisationId: s('ecmsOrganisationId', 64),
    transport: 'saraban', endpointUrl: s('endpointUrl', 1000), email: s('email', 255), certificatePem: certPem, active: true,
  };
  if (!input.nameTh || !input.agencyCode || !input.endpointUrl || !/^https?:\/\//.test(input.endpointUrl)) {
    throw unprocessable('The introduction lacks a name, an agency code or an http(s) endpoint.', [{ field: 'file', message: 'incomplete entry' }]);
  }
  const existing = await ExchangePeer.findOne({ where: { agencyCode: input.agencyCode, transport: 'saraban' } });
  if (existing) return { peer: await existing.update(columns(input)), created: false };
  return { peer: await createPeer(input), created: true };
}
