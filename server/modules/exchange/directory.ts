// The directory of agencies elsewhere, and the signed introduction two agencies swap to enter each
// other: a flattened JWS whose payload is the agency's entry (names, codes, transport, endpoint) and
// whose x5c is the certificate it signs with. Importing one checks that the file is signed by the key
// of the certificate it carries (so the endpoint and codes come from the key holder); the
// administrators compare the fingerprint over a second channel (a phone call) before relying on it.
import { Op, UniqueConstraintError } from 'sequelize';
import { ExchangePeer, Organisation, ExchangeTransport, type EcmsMode } from '../../db/models';
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
  /** ecms only: direct (default), poll (we poll its queue: an ECMS node), pickup (it polls ours). */
  ecmsMode?: EcmsMode;
  active?: boolean;
}

export function presentPeer(p: ExchangePeer) {
  return {
    id: Number(p.id), nameTh: p.nameTh, nameEn: p.nameEn ?? null, ministryCode: p.ministryCode ?? null, agencyCode: p.agencyCode, ecmsOrganisationId: p.ecmsOrganisationId ?? null,
    transport: p.transport, endpointUrl: p.endpointUrl ?? null, email: p.email ?? null, certificatePem: p.certificatePem ?? null, certificateSha256: p.certificateSha256 ?? null,
    ecmsMode: p.ecmsMode ?? 'direct', active: Boolean(p.active), createdAt: new Date(p.createdAt).toISOString(), updatedAt: new Date(p.updatedAt).toISOString(),
  };
}

/**
 * What each transport needs to reach the agency and to trust what it sends; 422 names the field.
 * saraban and ecms: an endpoint and a certificate (one that parses: columns() checks it), except an
 * ECMS peer that polls our queue (pickup), which has no endpoint to post to; ecms: a numeric ECMS
 * organisation id (what wsa:From and the letters' parties name).
 */
function assertUsable(v: PeerInput): void {
  const missing: Array<{ field: string; message: string }> = [];
  const need = (field: string) => missing.push({ field, message: `required for transport ${v.transport}` });
  if (v.transport === 'saraban' || v.transport === 'ecms') {
    if (!v.endpointUrl && !(v.transport === 'ecms' && v.ecmsMode === 'pickup')) need('endpointUrl');
    if (!v.certificatePem) need('certificatePem');
  }
  if (v.transport === 'ecms' && !v.ecmsOrganisationId) need('ecmsOrganisationId');
  else if (v.transport === 'ecms' && !/^\d{1,10}$/.test(v.ecmsOrganisationId!)) missing.push({ field: 'ecmsOrganisationId', message: 'an ECMS organisation id is 1 to 10 digits' });
  if (v.transport === 'email' && !v.email) need('email');
  if (v.transport !== 'ecms' && v.ecmsMode && v.ecmsMode !== 'direct') missing.push({ field: 'ecmsMode', message: 'only an ecms agency polls or is polled' });
  if (missing.length) throw unprocessable(`A ${v.transport} agency needs ${missing.map((m) => m.field).join(', ')}.`, missing);
}

function columns(v: PeerInput) {
  const cert = v.certificatePem ? parseCertificate(v.certificatePem) : null;
  return {
    nameTh: v.nameTh, nameEn: v.nameEn ?? null, ministryCode: v.ministryCode ?? null, agencyCode: v.agencyCode, ecmsOrganisationId: v.ecmsOrganisationId ?? null,
    transport: v.transport, endpointUrl: v.endpointUrl ?? null, email: v.email ?? null, certificatePem: cert ? cert.toString('pem') : null,
    certificateSha256: cert ? sha256Hex(cert.rawData) : null, ecmsMode: v.ecmsMode ?? 'direct', ...(v.active === undefined ? {} : { active: v.active }),
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
  // Switching an entry off needs nothing from it (an entry made before these checks may lack a field).
  const onlyDeactivates = Object.keys(patch).length === 1 && patch.active === false;
  if (!onlyDeactivates) assertUsable(merged);
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
