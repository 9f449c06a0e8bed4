// Form fields declared with camunda:formData on a user task or a start event, and the validation of
// what a performer (or a starter) submits, as Camunda 7's FormFieldHandler does: validation first
// (required, readonly, minlength, maxlength, min, max), then the default value for a field left out.
import { z } from '../../lib/openapi';
import { expressionsIn, resolveTemplate } from './expressions';
import { implausibleDateText } from '../../lib/date-fields';

export interface FormConstraints {
  readonly?: boolean;
  minlength?: number;
  maxlength?: number;
  min?: number;
  max?: number;
}

export interface FormField {
  id: string;
  label: string | null;
  type: 'string' | 'long' | 'boolean' | 'date' | 'enum';
  required: boolean;
  values?: Array<{ id: string; name: string | null }>;
  defaultValue?: string | null;
  constraints?: FormConstraints;
}

/** A form field as the API shows it (task detail, start form). */
export const FormFieldSchema = z.object({
  id: z.string(), label: z.string().nullable(), type: z.string(), required: z.boolean(),
  values: z.array(z.object({ id: z.string(), name: z.string().nullable() })).optional(),
  defaultValue: z.string().nullable().optional().openapi({ description: 'applied when the field is left out' }),
  constraints: z.object({ readonly: z.boolean().optional(), minlength: z.number().optional(), maxlength: z.number().optional(), min: z.number().optional(), max: z.number().optional() }).optional(),
}).openapi('FormField');

type Moddle = { $type: string; [k: string]: unknown };
type Bag = Record<string, unknown>;

const TYPES = ['string', 'long', 'boolean', 'date', 'enum'];
/** The constraints Camunda 7 ships; a custom validator (a Java class) cannot run here. */
const NUMERIC = ['minlength', 'maxlength', 'min', 'max'] as const;
const KNOWN = new Set(['required', 'readonly', ...NUMERIC]);

function formDataOf(behaviour: Bag): Moddle[] {
  return ((behaviour.extensionElements as { values?: Moddle[] } | undefined)?.values ?? []).filter((v) => v.$type === 'camunda:FormData');
}

export function formFieldsOf(behaviour: Bag): FormField[] {
  const fields: FormField[] = [];
  for (const formData of formDataOf(behaviour)) {
    for (const f of (formData.fields as Moddle[] | undefined) ?? []) {
      const list = (f.validation as { constraints?: Moddle[] } | undefined)?.constraints ?? [];
      const constraints: FormConstraints = {};
      for (const c of list) {
        const name = String(c.name);
        if (name === 'readonly') constraints.readonly = true;
        else if ((NUMERIC as readonly string[]).includes(name) && Number.isFinite(Number(c.config))) constraints[name as (typeof NUMERIC)[number]] = Number(c.config);
      }
      fields.push({
        id: String(f.id),
        label: (f.label as string | undefined) ?? null,
        type: ((f.type as FormField['type'] | undefined) ?? 'string'),
        required: list.some((c) => c.name === 'required'),
        ...(f.type === 'enum' ? { values: ((f.values as Moddle[] | undefined) ?? []).map((v) => ({ id: String(v.id), name: (v.name as string | undefined) ?? null })) } : {}),
        defaultValue: (f.defaultValue as string | undefined) ?? null,
        ...(Object.keys(constraints).length ? { constraints } : {}),
      });
    }
  }
  return fields;
}

/** Deploy-time problems of an element's form: every constraint either runs here or is refused. */
export function formDataProblems(el: Moddle): Array<{ elementId: string | null; message: string }> {
  const id = (el.id as string | undefined) ?? null;
  const problems: Array<{ elementId: string | null; message: string }> = [];
  for (const formData of formDataOf(el)) {
    for (const f of (formData.fields as Moddle[] | undefined) ?? []) {
      if (!f.id) problems.push({ elementId: id, message: 'A form field has no id.' });
      if (f.type && !TYPES.includes(String(f.type))) problems.push({ elementId: id, message: `Form field ${f.id}: unknown type ${String(f.type)} (use string, long, boolean, date or enum).` });
      for (const c of (f.validation as { constraints?: Moddle[] } | undefined)?.constraints ?? []) {
        const name = String(c.name ?? '');
        if (!KNOWN.has(name)) {
          problems.push({ elementId: id, message: `ไม่รองรับเงื่อนไขฟอร์ม "${name}" — Form field ${f.id}: the constraint "${name}" is a custom validator that cannot run here; use required, readonly, minlength, maxlength, min or max.` });
        } else if ((NUMERIC as readonly string[]).includes(name) && !(typeof c.config === 'string' && c.config.trim() !== '' && Number.isFinite(Number(c.config)))) {
          problems.push({ elementId: id, message: `เงื่อนไขฟอร์มต้องเป็นตัวเลข — Form field ${f.id}: the constraint "${name}" needs a number as its config (e.g. config="10").` });
        }
      }
      const dv = f.defaultValue;
      if (typeof dv === 'string' && !expressionsIn(dv).length && dv !== '' && f.type && f.type !== 'string') {
        if (convert({ type: f.type as FormField['type'] } as FormField, dv) === undefined) problems.push({ elementId: id, message: `Form field ${f.id}: the default value "${dv}" is not a ${String(f.type)}.` });
      }
    }
  }
  return problems;
}

/** A default value (text in the XML, or an expression's result) as the field's type; undefined when it is not one. */
function convert(field: FormField, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  switch (field.type) {
    case 'long': {
      const n = typeof value === 'number' ? value : Number(String(value).trim());
      return Number.isInteger(n) ? n : undefined;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      return String(value) === 'true' ? true : String(value) === 'false' ? false : undefined;
    case 'date':
      return value instanceof Date ? value.toISOString() : Number.isNaN(Date.parse(String(value))) ? undefined : String(value);
    default:
      return typeof value === 'string' ? value : String(value);
  }
}

function fieldSchema(field: FormField): z.ZodType {
  switch (field.type) {
    // Messages a person reads next to the field (Thai first, as every form message here).
    case 'long':
      return z.number({ error: 'ต้องเป็นตัวเลข — must be a number' }).int({ error: 'ต้องเป็นตัวเลขจำนวนเต็ม — must be a whole number' });
    case 'boolean':
      return z.boolean({ error: 'ต้องเป็นใช่หรือไม่ใช่ — must be true or false' });
    case 'date':
      return z.string().superRefine((s, ctx) => {
        if (Number.isNaN(Date.parse(s))) return ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 date' });
        const problem = implausibleDateText(s);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      });
    case 'enum':
      return z.enum((field.values ?? []).map((v) => v.id) as [string, ...string[]]);
    default:
      return z.string().max(10000);
  }
}

export type FormProblem = { field: string; message: string };

export const FORM_INVALID = 'แบบฟอร์มไม่ครบหรือไม่ถูกต้อง — The form is not complete or not valid.';

/** Declared fields are typed and constrained as declared; undeclared variables pass through as
 * JSON values (a task without formData takes free variables). Messages are Thai first. A required
 * field left out passes when the instance already has the variable (Camunda's RequiredValidator). */
export function validateFormVariables(fields: FormField[], variables: Record<string, unknown>, existing: Bag = {}): { ok: true } | { ok: false; details: FormProblem[] } {
  const details: FormProblem[] = [];
  for (const field of fields) {
    const value = variables[field.id];
    const c = field.constraints ?? {};
    const missing = value === undefined || value === null || value === '';
    if (c.readonly && value !== undefined && value !== null) {
      details.push({ field: field.id, message: 'ช่องนี้อ่านได้อย่างเดียว ส่งค่าไม่ได้ — is read-only: leave it out' });
      continue;
    }
    if (missing) {
      if (field.required && (value === '' || existing[field.id] === undefined || existing[field.id] === null)) details.push({ field: field.id, message: 'ต้องกรอก — is required' });
      continue;
    }
    const result = fieldSchema(field).safeParse(value);
    if (!result.success) {
      details.push({ field: field.id, message: `ค่าไม่ถูกต้อง — ${result.error.issues[0]?.message ?? 'is not valid'}` });
      continue;
    }
    if (typeof value === 'string') {
      if (c.minlength !== undefined && value.length < c.minlength) details.push({ field: field.id, message: `ต้องยาวอย่างน้อย ${c.minlength} ตัวอักษร — must be at least ${c.minlength} characters` });
      if (c.maxlength !== undefined && value.length > c.maxlength) details.push({ field: field.id, message: `ต้องยาวไม่เกิน ${c.maxlength} ตัวอักษร — must be at most ${c.maxlength} characters` });
    }
    if (typeof value === 'number') {
      if (c.min !== undefined && value < c.min) details.push({ field: field.id, message: `ต้องไม่น้อยกว่า ${c.min} — must be at least ${c.min}` });
      if (c.max !== undefined && value > c.max) details.push({ field: field.id, message: `ต้องไม่มากกว่า ${c.max} — must be at most ${c.max}` });
    }
  }
  return details.length ? { ok: false, details } : { ok: true };
}

/** The default values of the fields left out (Camunda applies them after validation); an
 * expression default is resolved against the instance's variables. */
export function formDefaults(fields: FormField[], submitted: Record<string, unknown>, scope: Bag): Bag {
  const out: Bag = {};
  for (const field of fields) {
    if (submitted[field.id] !== undefined && submitted[field.id] !== null) continue;
    if (field.defaultValue === undefined || field.defaultValue === null || field.defaultValue === '') continue;
    const raw = expressionsIn(field.defaultValue).length ? resolveTemplate(field.defaultValue, { ...scope, variables: scope }) : field.defaultValue;
    const value = convert(field, raw);
    if (value !== undefined) out[field.id] = value;
  }
  return out;
}

/** The form of a process's start event (the none start event of the process itself). */
export function startFormOf(sourceContextJson: string, processKey: string): { formKey: string | null; fields: FormField[] } {
  const source = JSON.parse(sourceContextJson) as { activities?: Array<{ type: string; parent?: { id?: string }; behaviour?: Bag }> };
  const start = (source.activities ?? []).find((a) => a.type === 'bpmn:StartEvent' && a.parent?.id === processKey && !((a.behaviour?.eventDefinitions as unknown[] | undefined)?.length))
    ?? (source.activities ?? []).find((a) => a.type === 'bpmn:StartEvent' && a.parent?.id === processKey);
  if (!start?.behaviour) return { formKey: null, fields: [] };
  const formKey = start.behaviour.formKey;
  return { formKey: typeof formKey === 'string' ? formKey : null, fields: formFieldsOf(start.behaviour) };
}
