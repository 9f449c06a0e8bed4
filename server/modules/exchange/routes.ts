// Exchange administration REST (system administrators of the top organisation): the directory of
// agencies elsewhere, signed introductions out and in, this deployment's exchange certificate, the
// refused inbound requests and the outbox to peers (retry). The inbox itself is inbox.ts.
import { Api, idParam } from '../../lib/route';
import { EcmsSetAsideItem, ExchangeOutbox, ExchangePeer } from '../../db/models';
import { conflict, notFound } from '../../lib/errors';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import * as S from './schemas';
import { assertExchangeAdmin } from './policy';
import { createPeer, importIntroduction, introduction, listPeers, presentPeer, updatePeer } from './directory';
import { importExchangeIdentity, publicIdentity } from './identity';
import { refusals } from './inbox';
import { presentOutbox, retryNow } from './outbox';
import { loadEcmsSettings } from './ecms/config';
import { presentSetAside, retrySetAside } from './ecms-polling';
import './native'; // the native transport registers itself with the outbox

const TAG = 'Exchange';

export function registerExchangeRoutes(api: Api<Actor>, ctx: AppContext): void {
  const admin = async (actor: Actor) => assertExchangeAdmin(actor);

  api.route({
    method: 'get', path: '/exchange/peers', tag: TAG, summary: 'The directory of agencies elsewhere (ทะเบียนหน่วยงานภายนอก)', query: S.PeersQuery, response: S.listOf(S.Peer),
    description: 'Administrators of the top organisation manage it; registry clerks read it to address letters.',
    handler: async ({ query, actor }) => {
      if (!actor.roles.has('registry_clerk') && !actor.roles.has('secrets_custodian')) await admin(actor);
      return { items: (await listPeers(query)).map(presentPeer) };
    },
  });

  api.route({
    method: 'post', path: '/exchange/peers', tag: TAG, status: 201, summary: 'Add an agency elsewhere to the directory', body: S.PeerBody, response: S.Peer,
    description: 'The same code and transport twice → 409; a transport without what it needs (saraban: endpoint and certificate; ecms: organisation id; email: address) → 422.',
    handler: async ({ body, actor }) => (await admin(actor), presentPeer(await createPeer(body))),
  });

  api.route({
    method: 'get', path: '/exchange/peers/:id', tag: TAG, summary: 'One directory entry', params: idParam, response: S.Peer,
    handler: async ({ params, actor }) => {
      await admin(actor);
      const peer = await ExchangePeer.findByPk(params.id);
      if (!peer) throw notFound('Directory entry');
      return presentPeer(peer);
    },
  });

  api.route({
    method: 'patch', path: '/exchange/peers/:id', tag: TAG, summary: 'Change a directory entry (a new certificate, endpoint, or inactive)', params: idParam, body: S.PeerPatch, response: S.Peer,
    handler: async ({ params, body, actor }) => (await admin(actor), presentPeer(await updatePeer(params.id, body))),
  });

  api.route({
    method: 'get', path: '/exchange/introduction', tag: TAG, query: S.IntroductionQuery, response: S.Introduction,
    summary: "A signed introduction of one of this deployment's organisations, for an agency elsewhere to import",
    handler: async ({ query, actor }) => (await admin(actor), introduction(query.organisationId, ctx.config.publicUrl)),
  });

  api.route({
    method: 'post', path: '/exchange/peers/import', tag: TAG, body: S.ImportBody, response: S.ImportResult,
    summary: "Import an agency's signed introduction into the directory (new, or its entry updated)",
    description: 'The file must be signed by the key of the certificate it carries (422 otherwise). Compare certificateSha256 with the agency over a second channel.',
    handler: async ({ body, actor }) => {
      await admin(actor);
      const { peer, created } = await importIntroduction(body.file);
      return { peer: presentPeer(peer), created };
    },
  });

  api.route({
    method: 'get', path: '/exchange/identity', tag: TAG, summary: "This deployment's exchange certificate and its fingerprint (never the key)", response: S.Identity,
    handler: async ({ actor }) => (await admin(actor), publicIdentity()),
  });

  api.route({
    method: 'put', path: '/exchange/identity', tag: TAG, body: S.IdentityImport, response: S.Identity,
    summary: 'Replace the exchange key and certificate with ones issued by a CA (the key is stored encrypted and never shown again)',
    handler: async ({ body, actor }) => {
      await admin(actor);
      await importExchangeIdentity(body);
      return publicIdentity();
    },
  });

  api.route({
    method: 'get', path: '/exchange/refusals', tag: TAG, summary: 'Inbound requests refused (bad signature, unknown certificate, replay, wrong recipient, too large, malformed), newest first',
    query: S.RefusalsQuery, response: S.listOf(S.Refusal),
    handler: async ({ query, actor }) => (await admin(actor), { items: await refusals(query) }),
  });

  api.route({
    method: 'get', path: '/exchange/outbox', tag: TAG, summary: 'Letters and notifiers to agencies elsewhere: waiting (with the last error), sent, not delivered (failed)', query: S.OutboxQuery, response: S.listOf(S.OutboxItem),
    handler: async ({ query, actor }) => {
      await admin(actor);
      const rows = await ExchangeOutbox.findAll({ where: query.status ? { status: query.status } : {}, order: [['id', 'DESC']], limit: query.limit, offset: query.offset });
      return { items: await presentOutbox(rows) };
    },
  });

  api.route({
    method: 'post', path: '/exchange/outbox/:id/retry', tag: TAG, params: idParam, response: S.OutboxItem,
    summary: 'Send a message again now (a letter given up on goes back to waiting)', description: 'Sent or cancelled → 409.',
    handler: async ({ params, actor }) => {
      await admin(actor);
      const row = await retryNow(ctx.db.sequelize, params.id);
      return (await presentOutbox([row]))[0];
    },
  });

  api.route({
    method: 'get', path: '/exchange/set-aside', tag: TAG, query: S.SetAsideQuery, response: S.listOf(S.SetAsideItem),
    summary: "Items of ECMS nodes' queues set aside (ที่กันไว้): could not be stored as they were, kept here and removed from the node's queue, newest first",
    description: 'A letter whose signature fails, whose sender is not in the directory, or that is for an organisation not here; a malformed item. Its refusal is also in /exchange/refusals (ecms_poll_<reason>).',
    handler: async ({ query, actor }) => {
      await admin(actor);
      const rows = await EcmsSetAsideItem.findAll({ where: query.status ? { status: query.status } : {}, attributes: { exclude: ['contentXml'] }, order: [['id', 'DESC']], limit: query.limit, offset: query.offset });
      return { items: rows.map(presentSetAside) };
    },
  });

  api.route({
    method: 'post', path: '/exchange/set-aside/:id/retry', tag: TAG, params: idParam, response: S.SetAsideItem,
    summary: 'Try a set-aside letter again, verified with the directory as it is now (e.g. after adding its sender)',
    description: 'Stored → the letter is in its recipient\'s arrivals tray. Already stored, a notifier, or ECMS not enabled → 409; still not verifiable → 422 with the reason.',
    handler: async ({ params, actor }) => {
      await admin(actor);
      const settings = loadEcmsSettings(ctx.config);
      if (!settings.enabled) throw conflict('ระบบนี้ไม่ได้เปิดใช้ ECMS (ECMS is not enabled in this deployment.)');
      return presentSetAside(await retrySetAside(ctx, settings, params.id));
    },
  });
}
