// Form fields declared on a user task (camunda:formData) and the validation of what a performer
// submits when completing it.
import { z } from 'zod';

export interface FormField {
  id: string;
  label: string | null;
  type: 'string' | 'long' | 'boolean' | 'date' | 'enum';
  required: boolean;
  values?: Array<{ id: string; name: string | null }>;
  defaultValue?: string | null;
}

type Moddle = { $type: string; [k: string]: unknown };

export function formFieldsOf(behaviour: Record<string, unknown>): FormField[] {
  const values = ((behaviour.extensionElements as { values?: Moddle[] } | undefined)?.values ?? []).filter((v) => v.$type === 'camunda:FormData');
  const fields: FormField[] = [];
  for (const formData of values) {
    for (const f of (formData.fields as Moddle[] | undefined) ?? []) {
      const constraints = ((f.validation as { constraints?: Moddle[] } | undefined)?.constraints ?? []).map((c) => String(c.name));
      fields.push({
        id: String(f.id),
        label: (f.label as string | undefined) ?? null,
        type: ((f.type as FormField['type'] | undefined) ?? 'string'),
        required: constraints.includes('required'),
        ...(f.type === 'enum' ? { values: ((f.values as Moddle[] | undefined) ?? []).map((v) => ({ id: String(v.id), name: (v.name as string | undefined) ?? null })) } : {}),
        defaultValue: (f.defaultValue as string | undefined) ?? null,
      });
    }
  }
  return fields;
}

function fieldSchema(field: FormField): z.ZodType {
  switch (field.type) {
    case 'long':
      return z.number().int();
    case 'boolean':
      return z.boolean();
    case 'date':
      return z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 date');
    case 'enum':
      return z.enum((field.values ?? []).map((v) => v.id) as [string, ...string[]]);
    default:
      return z.string().max(10000);
  }
}

/** Declared fields are typed and required as declared; undeclared variables pass through as
 * JSON values (a task without formData takes free variables). */
export function validateFormVariables(fields: FormField[], variables: Record<string, unknown>): { ok: true } | { ok: false; details: Array<{ field: string; message: string }> } {
  const details: Array<{ field: string; message: string }> = [];
  for (const field of fields) {
    const value = variables[field.id];
    if (value === undefined || value === null || value === '') {
      if (field.required) details.push({ field: field.id, message: 'is required' });
      continue;
    }
    const result = fieldSchema(field).safeParse(value);
    if (!result.success) details.push({ field: field.id, message: result.error.issues[0]?.message ?? 'is not valid' });
  }
  return details.length ? { ok: false, details } : { ok: true };
}
