// Builds the Express app (no listen): tests drive it with supertest, serve.ts serves it (main.ts supervises).
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import type { AppContext } from './context';
import { Api } from './lib/route';
import { createRegistry, generateDocument } from './lib/openapi';
import { errorHandler, notFoundRoute } from './lib/errors';
import { authenticator, actorOf } from './modules/auth/authenticate';
import { registerAuthRoutes } from './modules/auth/routes';
import { registerOrgRoutes } from './modules/org/routes';
import { registerHealthRoutes } from './modules/health/routes';
import { registerWorkflowRoutes } from './modules/workflow/routes';
import { registerTaskRoutes } from './modules/tasks/routes';
import { registerBulkClaimRoutes } from './modules/tasks/bulk-claim';
import { registerPhraseRoutes } from './modules/tasks/phrases';
import { registerPreferenceRoutes } from './modules/preferences/routes';
import { registerNotifyRoutes } from './modules/notify/routes';
import { registerDocumentRoutes } from './modules/documents/routes';
import { registerRegisterRoutes } from './modules/registers/routes';
import { registerAuditRoutes } from './modules/audit/routes';
import { registerSearchRoutes } from './modules/search/routes';
import { registerAttachmentRoutes } from './modules/attachments/routes';
import { registerRetentionRoutes } from './modules/retention/routes';
import { registerMonitorRoutes } from './modules/monitor/routes';
import { registerDeliveryRoutes } from './modules/deliveries/routes';
import { createEcmsRouter, ECMS_PATH } from './modules/exchange/ecms/server';
import { registerLetterRoutes } from './modules/letters/routes';
import { registerCitizenRoutes } from './modules/citizens/routes';
import { registerSignatureRoutes } from './modules/signatures/routes';
import { registerVerifyPage } from './modules/signatures/page';
import { registerExchangeRoutes } from './modules/exchange/routes';
import { describeExchangeInbox, exchangeInbox } from './modules/exchange/inbox';

export function createApp(ctx: AppContext): express.Express {
  const app = express();
  app.set('trust proxy', process.env.TRUST_PROXY ?? 'loopback');
  // upgrade-insecure-requests only over HTTPS: on plain HTTP (a LAN address, a phone on the office
  // network) browsers would rewrite every asset and API call of the web app to https and break it.
  // Attachments are fetched with the bearer token and previewed from blob: URLs (a PDF in a frame,
  // an image), so frames and images may come from blob: as well as from the server itself.
  const blobPreviews = { frameSrc: ["'self'", 'blob:'], imgSrc: ["'self'", 'data:', 'blob:'] };
  const secureHeaders = helmet({ contentSecurityPolicy: { directives: blobPreviews } });
  const plainHeaders = helmet({ contentSecurityPolicy: { directives: { ...blobPreviews, upgradeInsecureRequests: null } } });
  app.use((req, res, next) => (req.secure ? secureHeaders : plainHeaders)(req, res, next));
  if (ctx.config.logRequests) app.use((req, _res, next) => (console.log(req.method, req.originalUrl), next()));

  const router = express.Router();
  router.use(express.json({ limit: ctx.config.bodyLimit }));
  const registry = createRegistry();
  const api = new Api(router, registry, authenticator(ctx.tokens), actorOf);
  registerHealthRoutes(api, ctx);
  registerAuthRoutes(api, ctx);
  registerOrgRoutes(api, ctx);
  registerWorkflowRoutes(api, ctx);
  registerTaskRoutes(api, ctx);
  registerBulkClaimRoutes(api, ctx);
  registerPhraseRoutes(api, ctx);
  registerPreferenceRoutes(api, ctx);
  registerNotifyRoutes(api, ctx);
  registerDocumentRoutes(api, ctx);
  registerRegisterRoutes(api, ctx);
  registerAuditRoutes(api, ctx);
  registerSearchRoutes(api, ctx);
  registerAttachmentRoutes(api, ctx);
  registerRetentionRoutes(api, ctx);
  registerMonitorRoutes(api, ctx);
  registerDeliveryRoutes(api, ctx);
  registerLetterRoutes(api, ctx);
  registerCitizenRoutes(api, ctx);
  registerSignatureRoutes(api, ctx);
  registerExchangeRoutes(api, ctx);

  describeExchangeInbox(registry);
  const document = generateDocument(registry, ctx.config.publicUrl);
  router.get('/openapi.json', (_req, res) => res.json(document));
  router.use('/docs', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'Saraban API' }));
  router.use(notFoundRoute);
  // Agencies elsewhere post signed envelopes here: read with its own size limit, before the JSON parser.
  app.use('/api/exchange/inbox', exchangeInbox(ctx));
  app.use('/api', router);
  registerVerifyPage(app); // public, before the web app's catch-all

  // The ECMS interchange (SOAP, signed XML; its own size limit and SOAP Faults), when configured.
  if (ctx.ecms) app.use(ECMS_PATH, createEcmsRouter(ctx.ecms));

  // The web app (client/) is built into client/dist and served from here when present.
  const clientDist = path.resolve(__dirname, '..', ...(path.basename(path.resolve(__dirname, '..')) === 'dist' ? ['..'] : []), 'client', 'dist');
  if (fs.existsSync(path.join(clientDist, 'index.html'))) {
    app.use(express.static(clientDist, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!api\/).*/, (_req, res) => res.sendFile(path.join(clientDist, 'index.html')));
  } else {
    app.get('/', (_req, res) => res.json({ name: 'Saraban', api: '/api', docs: '/api/docs' }));
  }
  app.use(notFoundRoute);
  app.use(errorHandler);
  return app;
}
