// Request shapes of the letters routes (they also generate the OpenAPI document).
import { z } from '../../lib/openapi';
import { DocumentCreate } from '../documents/schemas';
import { TEMPLATE_NAMES } from './compose';

/** A draft's fields, as the draft form holds them: the document's own limits, without what a preview cannot use. */
export const LetterPreview = DocumentCreate.omit({ direction: true, recipientUserIds: true, retentionYears: true })
  .extend({
    // A preview is redrawn as the author types: the same limit as a stored body would be heavy on
    // every keystroke, and a letter is a few pages.
    body: z.string().max(60000).nullable().optional().openapi({ description: 'the body; a preview takes up to 60,000 characters (about 20 pages)' }),
    signature: z
      .object({
        mode: z.enum(['none', 'typed', 'digital']).default('none'),
        capacity: z.enum(['self', 'acting_for', 'acting_in_post']).default('self'),
        principalPosition: z.string().trim().max(255).nullable().optional().openapi({ description: "the principal's position when signing for someone" }),
      })
      .optional(),
  })
  .openapi('LetterPreview');

export const LetterSettingsSchema = z
  .object({
    organisationId: z.number(), thaiDigits: z.boolean(), garuda: z.enum(['uploaded', 'placeholder']),
    templates: z.array(z.object({ name: z.string(), overridden: z.enum(['own', 'inherited', 'shipped']) })),
  })
  .openapi('LetterSettings');

export const LetterSettingsUpdate = z.object({ thaiDigits: z.boolean() }).openapi('LetterSettingsUpdate');

export const templateParams = z.object({
  id: z.coerce.number().int().positive().openapi({ type: 'integer' }),
  name: z.enum(TEMPLATE_NAMES as [string, ...string[]]).openapi({ description: 'a shipped template: layout, signature, external, internal, …' }),
});

export const TemplateBody = z
  .object({ html: z.string().min(1).max(200000).openapi({ description: 'the template (HTML with {{field}}, {{#list}}…{{/list}}, {{> partial}})' }) })
  .openapi('LetterTemplateBody');

export const TemplateSchema = z.object({ name: z.string(), source: z.enum(['own', 'inherited', 'shipped']), html: z.string() }).openapi('LetterTemplate');

export const LetterTextSchema = z.object({ documentId: z.number(), template: z.string(), text: z.string() }).openapi('LetterText');
