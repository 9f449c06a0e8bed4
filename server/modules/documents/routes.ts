// Documents REST: create and edit drafts, read (secret reads logged), versions, endorsements.
import { Api, idParam } from '../../lib/route';
import { z } from '../../lib/openapi';
import { Document, DocumentVersion, Register } from '../../db/models';
import type { AppContext } from '../../context';
import type { Actor } from '../auth/actor';
import * as S from './schemas';
import * as svc from './service';
import { assertRead, readsAllSecrets } from './policy';
import { forbidden } from '../../lib/errors';
import { addEndorsement, listEndorsements, presentEndorsement } from './endorsements';

const TAG = 'Documents';

export function registerDocumentRoutes(api: Api<Actor>, ctx: AppContext): void {
  const { sequelize } = ctx.db;
  const load = async (actor: Actor, id: number) => assertRead(actor, await Document.findByPk(id));
  const present = async (doc: Document) => svc.presentDocument(doc, doc.registerId ? await Register.findByPk(doc.registerId) : null);

  api.route({
    method: 'post', path: '/documents', tag: TAG, summary: 'Create a document (a draft; incoming letters by a registry clerk)',
    body: S.DocumentCreate, status: 201, response: S.Document,
    handler: async ({ body, actor }) => present(await svc.createDocument(sequelize, actor, body)),
  });

  api.route({
    method: 'get', path: '/documents/:id', tag: TAG, summary: 'One document (reading a secret one is logged)', params: idParam, response: S.Document,
    handler: async ({ params, actor }) => {
      const doc = await load(actor, params.id);
      await svc.logSecretRead(sequelize, actor, doc, 'document');
      return present(doc);
    },
  });

  api.route({
    method: 'patch', path: '/documents/:id', tag: TAG, summary: 'Edit a draft (a new version); numbered or sent documents are frozen (409)',
    params: idParam, body: S.DocumentUpdate, response: S.Document,
    handler: async ({ params, body, actor }) => {
      await load(actor, params.id);
      return present(await svc.updateDocument(sequelize, actor, params.id, body));
    },
  });

  api.route({
    method: 'get', path: '/documents/:id/versions', tag: TAG, summary: 'The versions of a document, oldest first', params: idParam, response: S.listOf(S.DocumentVersion),
    handler: async ({ params, actor }) => {
      const doc = await load(actor, params.id);
      await svc.logSecretRead(sequelize, actor, doc, 'versions');
      const rows = await DocumentVersion.findAll({ where: { documentId: doc.id }, order: [['version', 'ASC']] });
      return { items: rows.map((v) => ({ version: v.version, createdById: v.createdById ?? null, createdAt: new Date(v.createdAt).toISOString(), content: JSON.parse(v.content) })) };
    },
  });

  api.route({
    method: 'get', path: '/documents/:id/endorsements', tag: TAG, summary: 'The endorsement chain (เกษียน) in order', params: idParam, response: S.listOf(S.Endorsement),
    handler: async ({ params, actor }) => {
      const doc = await load(actor, params.id);
      await svc.logSecretRead(sequelize, actor, doc, 'endorsements');
      return { items: (await listEndorsements(doc.id)).map(presentEndorsement) };
    },
  });

  api.route({
    method: 'post', path: '/documents/:id/endorsements', tag: TAG, summary: 'Add an endorsement (append-only: there is no edit or delete)',
    params: idParam, body: S.EndorsementCreate, status: 201, response: S.Endorsement,
    handler: async ({ params, body, actor }) => presentEndorsement(await addEndorsement(sequelize, actor, await load(actor, params.id), body)),
  });

  const Reader = z.object({ userId: z.number().int(), displayName: z.string().nullable(), since: z.string() }).openapi('NamedReader');
  api.route({
    method: 'get', path: '/documents/:id/readers', tag: TAG, summary: 'Who is named to read a secret letter (for its author and the secrets custodian)',
    params: idParam, response: S.listOf(Reader),
    handler: async ({ params, actor }) => {
      const doc = await load(actor, params.id);
      if (!readsAllSecrets(actor) && doc.createdById !== actor.userId) throw forbidden('Only the letter\'s author and the secrets custodian see who is named to read it.');
      return { items: await svc.namedRecipients(doc.id) };
    },
  });

  const readerParams = z.object({ id: idParam.shape.id, userId: idParam.shape.id });
  for (const [method, named] of [['put', true], ['delete', false]] as const) {
    api.route({
      method, path: '/documents/:id/readers/:userId', tag: TAG, params: readerParams, status: 204,
      summary: named ? 'Name a reader of a secret letter (secrets custodian; audited)' : 'Take a named reader off a secret letter (secrets custodian; audited)',
      handler: async ({ params, actor }) => {
        await svc.setNamedRecipient(sequelize, actor, await load(actor, params.id), params.userId, named);
      },
    });
  }
}
