// One task: the letter it is about (the shared DocumentView: fields, PDF preview, files, endorsements,
// route) or, without a letter, the process's route so far; who may pass it on; and its form (from the process's
// camunda:formField declarations). Completing a step on a letter also appends the decision and
// endorsement to the letter's chain. The server checks the form; its 422 issues appear next to
// their fields.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Divider, Group, List, Loader, NativeSelect, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api, ApiError, fieldErrors } from '../../lib/api';
import { useI18n, type Translate } from '../../i18n';
import { ThaiDateInput } from '../../components/ThaiDateInput';
import { Urgency } from './Urgency';
import { DocumentView } from '../../components/document/DocumentView';
import { documentKeys } from '../../components/document/queries';
import { AssignActions } from './AssignActions';
import { ActingAs } from './ActingAs';
import { choiceOf, isUnitField, UnitPicker } from './FieldPickers';
import type { FormField, HistoryItem, TaskDetail } from './types';

type Values = Record<string, string | boolean>;

/** Long text (an endorsement, a summary) gets a multi-line box. */
const LONG_TEXT = /endorse|summary|comment|note|result|recommend/i;

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

/** The server says a required field is missing as "is required" (older) or "ต้องกรอก — is required". */
function issueText(message: string, t: Translate, locale = 'th'): string {
  if (/(^|— )is required$/.test(message)) return t('validation.required');
  // The server's form messages are "ไทย — English": show the one of the UI's language.
  const [thai, english] = message.split(' — ');
  return english ? (locale === 'en' ? english : thai) : message;
}

function FieldInput({ field, value, error, onChange }: { field: FormField; value: string | boolean | undefined; error?: string; onChange: (v: string | boolean) => void }) {
  const { t } = useI18n();
  const label = field.label ?? field.id;
  const common = { label, error, withAsterisk: field.required, name: field.id };
  if (field.type === 'boolean') return <Checkbox label={label} error={error} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />;
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
  if (LONG_TEXT.test(field.id)) return <Textarea {...common} autosize minRows={3} value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
  return <TextInput {...common} value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
}

function RouteSoFar({ instanceId }: { instanceId: number }) {
  const { t, date } = useI18n();
  const history = useQuery({ queryKey: ['history', instanceId], queryFn: () => api.get<{ items: HistoryItem[] }>(`/workflow/instances/${instanceId}/history`), retry: false });
  if (history.isError) return null; // not everyone who works a step may read the whole instance
  const done = (history.data?.items ?? []).filter((h) => h.event === 'task.completed');
  return (
    <Stack gap="xs" data-testid="task-route">
      <Title order={3} size="h5">
        {t('task.route')}
      </Title>
      {history.isLoading ? (
        <Loader size="sm" role="status" aria-label={t('common.loading')} />
      ) : done.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('task.routeEmpty')}
        </Text>
      ) : (
        <List size="sm" spacing={4}>
          {done.map((h) => {
            const vars = h.detail?.variables ?? {};
            const note = [vars.endorsement, vars.summary, vars.result].filter((x) => typeof x === 'string' && x).join(' — ');
            return (
              <List.Item key={h.id}>
                <Text span fw={600}>
                  {date(h.at, 'shortDateTime')}
                </Text>{' '}
                {h.name ?? h.elementId}
                {note && `: ${note}`}
              </List.Item>
            );
          })}
        </List>
      )}
    </Stack>
  );
}

export function TaskPanel({ taskId, onDone }: { taskId: number; onDone: () => void }) {
  const { t, date, locale } = useI18n();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values>({});
  const [comment, setComment] = useState('');
  // Fields changed since the server's last refusal: their old message no longer applies.
  const [changed, setChanged] = useState<Set<string>>(new Set());
  const task = useQuery({ queryKey: ['tasks', 'detail', taskId], queryFn: () => api.get<TaskDetail>(`/tasks/${taskId}`), retry: false });
  const complete = useMutation({
    mutationFn: (detail: TaskDetail) => {
      const variables = toVariables(detail.formFields, values);
      // The server writes the step's endorsement (its text and decision fields) onto the letter's
      // chain in the same transaction as the completion.
      return api.post(`/tasks/${taskId}/complete`, { variables, ...(comment.trim() ? { comment: comment.trim() } : {}) });
    },
    onSuccess: (_answer, detail) => {
      notifications.show({ color: 'green', message: t('task.completed') });
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
      // The step wrote on the letter (its chain) and moved it on (its route, maybe its status):
      // every view of that letter, the document page included, reads it afresh.
      if (detail.documentId != null) void queryClient.invalidateQueries({ queryKey: documentKeys.all(detail.documentId) });
      onDone();
    },
  });

  if (task.isLoading) return <Loader role="status" aria-label={t('common.loading')} />;
  if (task.isError || !task.data) return <Alert color="red">{task.error instanceof ApiError && [403, 404].includes(task.error.status) ? t('task.gone') : t('common.error')}</Alert>;
  const detail = task.data;
  const errors = fieldErrors(complete.error);
  const status = complete.error instanceof ApiError ? complete.error.status : null;

  return (
    <Stack data-testid="task-panel">
      <Group gap="sm" align="baseline">
        <Urgency level={detail.urgency} size="xl" />
        <Title order={2} size="h3">
          {detail.title ?? detail.name}
        </Title>
      </Group>
      <Text size="sm">
        {t('inbox.step')}: {detail.name} · {t('inbox.received')}: {date(detail.createdAt, 'shortDateTime')} · {t('inbox.due')}: {date(detail.dueAt, 'shortDateTime')}
        {detail.overdue && (
          <Text span c="red.9" fw={700}>
            {' '}
            {t('inbox.overdue')}
          </Text>
        )}
      </Text>
      <ActingAs task={detail} />
      <AssignActions task={detail} />
      {detail.documentId != null ? <DocumentView documentId={detail.documentId} variant="task" /> : <RouteSoFar instanceId={detail.instanceId} />}
      <Divider />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setChanged(new Set());
          complete.mutate(detail);
        }}
      >
        <Stack>
          <Title order={3} size="h5">
            {t('task.form')}
          </Title>
          {detail.formFields.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('task.noForm')}
            </Text>
          )}
          {detail.formFields.map((f) => ({ f, choice: choiceOf(f, detail.formFields) })).filter(({ choice }) => !choice || values[choice.fieldId] === choice.value).map(({ f, choice }) => (
            <FieldInput key={f.id} field={choice ? { ...f, required: true } : f} value={values[f.id]} error={errors[f.id] && !changed.has(f.id) ? issueText(errors[f.id], t, locale) : undefined}
              onChange={(v) => {
                setValues((old) => ({ ...old, [f.id]: v }));
                setChanged((old) => new Set(old).add(f.id));
              }}
            />
          ))}
          <Textarea label={t('task.comment')} autosize minRows={2} value={comment} onChange={(e) => setComment(e.currentTarget.value)} />
          {status === 422 && <Alert color="red">{t('common.fixErrors')}</Alert>}
          {(status === 409 || status === 403) && <Alert color="red">{t('task.gone')}</Alert>}
          {complete.isError && status !== 422 && status !== 409 && status !== 403 && <Alert color="red">{t('common.error')}</Alert>}
          <Group>
            <Button type="submit" loading={complete.isPending} disabled={!detail.may.complete}>
              {t('task.complete')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
