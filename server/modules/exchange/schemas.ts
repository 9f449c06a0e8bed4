// Request and response shapes of the exchange's administration (they also generate the OpenAPI document).
import { z } from '../../lib/openapi';
import { ECMS_MODES, EXCHANGE_TRANSPORTS } from '../../db/models';

const pem = z.string().trim().max(20_000).regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/, 'a PEM certificate (-----BEGIN CERTIFICATE-----)');
const code = (max: number) => z.string().trim().min(1).max(max);
const opt = (max: number) => z.string().trim().max(max).nullable().optional();

export const PeerBody = z.object({
  nameTh: code(255), nameEn: opt(255), ministryCode: opt(16), agencyCode: code(64).openapi({ description: 'the agency\'s code as its system names itself (ministry letters + owner code, e.g. "สธ 0201")' }),
  ecmsOrganisationId: opt(64).openapi({ description: 'its organisation id on the government interchange (ECMS)' }), transport: z.enum(EXCHANGE_TRANSPORTS),
  endpointUrl: z.url({ protocol: /^https?$/ }).max(1000).nullable().optional().openapi({ description: 'saraban: its inbox (…/api/exchange/inbox); ecms: its ECMS node' }),
  email: z.email().max(255).nullable().optional(), certificatePem: pem.nullable().optional().openapi({ description: 'X.509 (PEM) its messages are verified with: its own certificate, or the CA that issues it' }),
  ecmsMode: z.enum(ECMS_MODES).optional().openapi({ description: 'ecms only: direct (both sides post; default), poll (we poll its queue: an ECMS node that keeps letters for us), pickup (it polls our queue: letters to it wait there; no endpoint needed)' }),
  active: z.boolean().optional(),
}).strict().openapi('ExchangePeerInput');

export const PeerPatch = PeerBody.partial().strict().openapi('ExchangePeerPatch');

export const Peer = z.object({
  id: z.number(), nameTh: z.string(), nameEn: z.string().nullable(), ministryCode: z.string().nullable(), agencyCode: z.string(), ecmsOrganisationId: z.string().nullable(),
  transport: z.enum(EXCHANGE_TRANSPORTS), endpointUrl: z.string().nullable(), email: z.string().nullable(), certificatePem: z.string().nullable(),
  certificateSha256: z.string().nullable().openapi({ description: 'compare it with the agency over a second channel before trusting the entry' }), ecmsMode: z.enum(ECMS_MODES), active: z.boolean(), createdAt: z.string(), updatedAt: z.string(),
}).openapi('ExchangePeer');

export const PeersQuery = z.object({ transport: z.enum(EXCHANGE_TRANSPORTS).optional(), search: z.string().trim().max(100).optional() });

export const IntroductionQuery = z.object({ organisationId: z.coerce.number().int().positive().openapi({ type: 'integer', description: 'an organisation of this deployment' }) });
export const Introduction = z.object({ file: z.string().openapi({ description: 'the signed introduction (a JWS, JSON): save it as a .json file and give it to the other agency' }), certificateSha256: z.string() }).openapi('ExchangeIntroduction');
export const ImportBody = z.object({ file: z.string().min(10).max(100_000).openapi({ description: 'the text of the other agency\'s introduction file' }) }).strict().openapi('ExchangeImport');
export const ImportResult = z.object({ peer: Peer, created: z.boolean() }).openapi('ExchangeImported');

export const Identity = z.object({
  certificatePem: z.string(), chainPem: z.array(z.string()), certificateSha256: z.string(), source: z.enum(['generated', 'imported']), subject: z.string(), issuer: z.string(),
  notBefore: z.string(), notAfter: z.string(), since: z.string(),
}).openapi('ExchangeIdentity', { description: 'the certificate this deployment signs with (the private key never leaves the server)' });
export const IdentityImport = z.object({
  certificatePem: pem, chainPem: z.array(pem).max(4).optional(),
  privateKeyPem: z.string().trim().min(50).max(20_000).openapi({ description: 'unencrypted PKCS#8 or traditional PEM; stored only encrypted (EXCHANGE_KEY_SECRET), never shown again' }),
}).strict().openapi('ExchangeIdentityImport');

export const Refusal = z.object({
  id: z.number(), at: z.string(), status: z.number(), reason: z.string(), detail: z.string().nullable(), peerId: z.number().nullable(), claimedSender: z.string().nullable(),
  messageId: z.string().nullable(), remoteAddress: z.string().nullable(), bytes: z.number(),
}).openapi('ExchangeRefusal');
export const RefusalsQuery = z.object({
  reason: z.string().trim().max(64).optional(), limit: z.coerce.number().int().min(1).max(500).default(100).openapi({ type: 'integer' }), offset: z.coerce.number().int().min(0).default(0).openapi({ type: 'integer' }),
});

export const OutboxItem = z.object({
  id: z.number(), messageId: z.string(), kind: z.enum(['letter', 'notice']), status: z.enum(['queued', 'sent', 'failed', 'cancelled']), attempts: z.number(), queuedAt: z.string(),
  nextAttemptAt: z.string().nullable(), lastError: z.string().nullable(), sentAt: z.string().nullable(), deliveryId: z.number(), deliveryStatus: z.string().nullable(),
  letterNumber: z.string().nullable(), organisation: z.string().nullable(), peer: z.object({ id: z.number(), nameTh: z.string().nullable(), agencyCode: z.string().nullable() }),
}).openapi('ExchangeOutboxItem');
export const OutboxQuery = z.object({
  status: z.enum(['queued', 'sent', 'failed', 'cancelled']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100).openapi({ type: 'integer' }),
  offset: z.coerce.number().int().min(0).default(0).openapi({ type: 'integer' }),
});

export const SetAsideItem = z.object({
  id: z.number(), nodeId: z.number(), processId: z.string(), kind: z.enum(['letter', 'notifier']), claimedSender: z.string().nullable(), reason: z.string(), detail: z.string().nullable(),
  status: z.enum(['held', 'stored']), bytes: z.number(), at: z.string(), updatedAt: z.string(),
}).openapi('EcmsSetAsideItem');
export const SetAsideQuery = z.object({
  status: z.enum(['held', 'stored']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100).openapi({ type: 'integer' }),
  offset: z.coerce.number().int().min(0).default(0).openapi({ type: 'integer' }),
});

export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
