// A step's form (from the process's camunda:formField declarations) as the decision the worker
// records: the decision, the organisation's stock phrases for it (one press fills the endorsement,
// which stays editable), the endorsement and a comment. Completing a step on a letter also appends
// the decision and endorsement to the letter's chain. The server checks the form; its 422 issues
// appear next to their fields.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Group, NativeSelect, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api, ApiError, fieldErrors } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { useI18n, type Translate } from '../../i18n';
import { ThaiDateInput } from '../../components/ThaiDateInput';
import { documentKeys } from '../../components/document/queries';
import { unitName } from '../admin/names';
import { choiceOf, isUnitField, UnitPicker, useOrgUnits } from './FieldPickers';
import { filledIn, UNIT_PLACEHOLDER, usePhrases, type Phrase } from './phrases';
import { StockPhrases } from './StockPhrases';
import type { FormField, TaskDetail } from './types';

type Values = Record<string, string | boolean>;

/** Long text (an endorsement, a summary) gets a multi-line box. */
const LONG_TEXT = /endorse|summary|comment|note|result|recommend/i;
const fieldDomId = (taskId: number, fieldId: string) => `task-${taskId}-field-${fieldId}`;
/** Where the phone's "to the decision" link points. */
export const decisionFormId = (taskId: number) => `task-${taskId}-decision-form`;

function toVariables(fields: FormField[], values: Values): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.id];
    if (f.constraints?.readonly) continue; // the server refuses a value for a read-only field
    if (f.type === 'boolean') out[f.id] = v === true;
    else if (typeof v === 'string' && v.trim() !== '') out[f.id] = f.type === 'long' && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : v.trim();
    // A required field left empty is sent empty: as in Camunda, a field left out would pass on the
    // value an earlier step set (another person's endorsement), an empty one never does.
    else if (f.required) out[f.id] = '';
  }
  return out;
}

/**
 * The server says a required field is missing as "ต้องกรอก — is required"; lib/api.ts has already kept
 * the half of the UI's language (as for every other message), so only that one is worded here.
 */
function issueText(message: string, t: Translate): string {
  return /^(ต้องกรอก|is required)$/.test(message) ? t('validation.required') : message;
}

function FieldInput({ field, domId, value, error, onChange }: { field: FormField; domId: string; value: string | boolean | undefined; error?: string; onChange: (v: string | boolean) => void }) {
  const { t } = useI18n();
  const label = field.label ?? field.id;
  const common = { label, error, withAsterisk: field.required, name: field.id, id: domId };
  if (field.type === 'boolean') return <Checkbox id={domId} label={label} error={error} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />;
  if (field.type === 'enum')
    return (
      <NativeSelect
        {...common}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(e.currentTarget.value)}
        data={[{ value: '', label: t('validation.choose') }, ...(field.values ?? []).map((o) => ({ value: o.id, label: o.name ?? o.id }))]}
      />
    );
  const text = typeof value === 'string' ? value : '';
  if (isUnitField(field)) return <UnitPicker {...common} required={field.required} value={text} onChange={onChange} />;
  if (field.type === 'date') return <ThaiDateInput {...common} value={text} onChange={onChange} />;
  if (field.type === 'long') return <TextInput {...common} inputMode="numeric" value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
  if (LONG_TEXT.test(field.id)) return <Textarea {...common} autosize minRows={2} value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
  return <TextInput {...common} value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
}

/** The form's decision (an enum named decision, else its first enum) and the endorsement text its phrases go into. */
function phraseTargets(fields: FormField[]) {
  const decision = fields.find((f) => f.type === 'enum' && f.id === 'decision') ?? fields.find((f) => f.type === 'enum');
  const text = fields.find((f) => /endorse/i.test(f.id) && f.type === 'string' && !f.constraints?.readonly);
  return decision && text ? { decision, text } : null;
}

export function DecisionForm({ detail, onDone }: { detail: TaskDetail; onDone: () => void }) {
  const { t, locale } = useI18n();
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values>({});
  const [comment, setComment] = useState('');
  // Fields changed since the server's last refusal: their old message no longer applies.
  const [changed, setChanged] = useState<Set<string>>(new Set());
  const phrases = usePhrases(me?.organisation.id);
  const units = useOrgUnits();
  const fields = detail.formFields;
  const targets = phraseTargets(fields);
  const unitField = fields.find(isUnitField);
  const chosenUnit = unitField ? units.find((u) => String(u.id) === values[unitField.id]) : undefined;
  const chosenUnitName = chosenUnit ? unitName(chosenUnit, locale) : null;

  const complete = useMutation({
    mutationFn: () => {
      const variables = toVariables(fields, values);
      // The server writes the step's endorsement (its text and decision fields) onto the letter's
      // chain in the same transaction as the completion.
      return api.post(`/tasks/${detail.id}/complete`, { variables, ...(comment.trim() ? { comment: comment.trim() } : {}) });
    },
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('task.completed') });
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
      // The step wrote on the letter (its chain) and moved it on (its route, maybe its status):
      // every view of that letter, the document page included, reads it afresh.
      if (detail.documentId != null) void queryClient.invalidateQueries({ queryKey: documentKeys.all(detail.documentId) });
      onDone();
    },
  });

  const set = (changes: Values) => {
    setValues((old) => ({ ...old, ...changes }));
    setChanged((old) => new Set([...old, ...Object.keys(changes)]));
  };
  const onField = (f: FormField, v: string | boolean) => {
    const changes: Values = { [f.id]: v };
    // Choosing the unit names it in a phrase that left its place open (มอบ {หน่วยงาน} ดำเนินการ).
    const text = targets && values[targets.text.id];
    const unit = f === unitField && units.find((u) => String(u.id) === v);
    if (targets && unit && typeof text === 'string' && text.includes(UNIT_PLACEHOLDER)) changes[targets.text.id] = filledIn(text, unitName(unit, locale));
    set(changes);
  };

  // Phrases of the decisions this form offers: the first of each until a decision is chosen (a
  // press chooses it too), then all of the chosen decision's.
  const offered = targets ? (phrases.data ?? []).filter((p) => targets.decision.values?.some((v) => v.id === p.decision)) : [];
  const chosenDecision = targets ? values[targets.decision.id] : undefined;
  const shown = chosenDecision ? offered.filter((p) => p.decision === chosenDecision) : offered.filter((p, i) => offered.findIndex((o) => o.decision === p.decision) === i);
  const pick = (p: Phrase) => {
    if (!targets) return;
    const phrase = filledIn(p.text, chosenUnitName);
    const current = String(values[targets.text.id] ?? '').trim();
    // A phrase replaces an empty box or another stock phrase; after the worker's own words it is added.
    const stock = offered.some((o) => filledIn(o.text, chosenUnitName) === current);
    const text = !current || stock ? phrase : `${current} ${phrase}`;
    set({ [targets.decision.id]: p.decision, [targets.text.id]: text });
    requestAnimationFrame(() => {
      const box = document.getElementById(fieldDomId(detail.id, targets.text.id)) as HTMLTextAreaElement | null;
      box?.focus();
      box?.setSelectionRange(text.length, text.length);
    });
  };

  const errors = fieldErrors(complete.error);
  const status = complete.error instanceof ApiError ? complete.error.status : null;
  return (
    <form
      noValidate
      id={decisionFormId(detail.id)}
      data-testid="task-decision"
      onSubmit={(e) => {
        e.preventDefault();
        setChanged(new Set());
        complete.mutate();
      }}
    >
      <Stack gap="sm">
        <Title order={3} size="h5">
          {t('task.form')}
        </Title>
        {fields.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('task.noForm')}
          </Text>
        )}
        {fields.map((f) => ({ f, choice: choiceOf(f, fields) })).filter(({ choice }) => !choice || values[choice.fieldId] === choice.value).map(({ f, choice }) => (
          <Stack key={f.id} gap="xs">
            {targets?.text === f && <StockPhrases phrases={shown} unitName={chosenUnitName} onPick={pick} />}
            <FieldInput field={choice ? { ...f, required: true } : f} domId={fieldDomId(detail.id, f.id)} value={values[f.id]} error={errors[f.id] && !changed.has(f.id) ? issueText(errors[f.id], t) : undefined} onChange={(v) => onField(f, v)} />
          </Stack>
        ))}
        <Textarea label={t('task.comment')} autosize minRows={1} value={comment} onChange={(e) => setComment(e.currentTarget.value)} />
        {status === 422 && <Alert color="red">{t('common.fixErrors')}</Alert>}
        {(status === 409 || status === 403) && <Alert color="red">{t('task.gone')}</Alert>}
        {complete.isError && status !== 422 && status !== 409 && status !== 403 && <Alert color="red">{t('common.error')}</Alert>}
        {/* Stays in view at the foot of the form while the form scrolls (its pane, or a phone's page). */}
        <Group style={{ position: 'sticky', bottom: 0, zIndex: 1, background: 'var(--mantine-color-gray-0)', paddingBlock: 'var(--mantine-spacing-xs)' }}>
          <Button type="submit" loading={complete.isPending} disabled={!detail.may.complete}>
            {t('task.complete')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
