// The OpenAPI document is generated from the same zod schemas that validate requests.
import { z } from 'zod';
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';

extendZodWithOpenApi(z);

export { z };

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'validation_failed' }),
      message: z.string().openapi({ example: 'The request is not valid.' }),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

export function createRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  return registry;
}

export function generateDocument(registry: OpenAPIRegistry, serverUrl: string) {
  const doc = new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'Saraban API',
      version: '0.1.0',
      description: 'ระบบสารบรรณอิเล็กทรอนิกส์ — the REST API of Saraban, an open e-Office for Thai government agencies.',
    },
    servers: [{ url: `${serverUrl}/api` }],
  });
  // Coerced path parameters come out optional; in a path they are always required.
  for (const item of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(item as Record<string, { parameters?: Array<{ in: string; required?: boolean }> }>)) {
      for (const p of op.parameters ?? []) if (p.in === 'path') p.required = true;
    }
  }
  return doc;
}
