// Liveness and the database the server runs on; public so that load balancers can ask.
import { Api } from '../../lib/route';
import { z } from '../../lib/openapi';
import type { AppContext } from '../../context';

export function registerHealthRoutes<A>(api: Api<A>, ctx: AppContext): void {
  api.route({
    method: 'get', path: '/health', tag: 'Health', summary: 'Is the server up, and on which database', public: true,
    response: z.object({ status: z.literal('ok'), database: z.object({ dialect: z.enum(['sqlite', 'mysql']), version: z.string() }), time: z.string() }).openapi('Health'),
    handler: async () => ({ status: 'ok' as const, database: await ctx.db.describe(), time: new Date().toISOString() }),
  });
}
