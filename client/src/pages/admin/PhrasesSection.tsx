// The organisation's stock endorsement phrases (ทราบ, เห็นชอบ, อนุมัติ, มอบ {หน่วยงาน} ดำเนินการ, …),
// each under the decision it goes with, in the order executives see them: add, change, move,
// remove, then save the list as a whole (PUT /organisations/:orgId/endorsement-phrases). The
// server's refusal of an item appears next to it.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ActionIcon, Alert, Button, Group, Loader, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { fieldErrors, request } from '../../lib/api';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { phrasesKey, UNIT_PLACEHOLDER, usePhrases, type Phrase } from '../inbox/phrases';
import { errorText, QueryError } from './kit';

/** The decision choices of the shipped processes; a list may hold others a designer added. */
const DECISIONS = ['acknowledge', 'forward', 'agree', 'approve', 'proceed', 'assign', 'return', 'revise', 'sign'];

type Row = { key: string; decision: string; text: string };
let added = 0;

function PhrasesForm({ orgId, phrases }: { orgId: number; phrases: Phrase[] }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const form = useForm<{ items: Row[] }>({ initialValues: { items: phrases.map((p) => ({ key: `p${p.id}`, decision: p.decision, text: p.text })) } });
  const save = useMutation({
    mutationFn: (items: Row[]) => request<{ items: Phrase[] }>(`/organisations/${orgId}/endorsement-phrases`, { method: 'PUT', body: { items: items.map(({ decision, text }) => ({ decision, text })) } }),
    onSuccess: (saved) => {
      queryClient.setQueryData(phrasesKey(orgId), saved);
      form.setInitialValues({ items: form.getValues().items });
      form.clearErrors();
      notifications.show({ color: 'green', message: t('phrases.saved') });
    },
    onError: (error) => form.setErrors(fieldErrors(error)),
  });
  const items = form.getValues().items;
  const decisions = [...new Set([...DECISIONS, ...items.map((r) => r.decision)])];
  const decisionLabel = (d: string) => (DECISIONS.includes(d) ? t(`phrases.decision.${d}` as MessageKey) : d);
  const itemError = Object.keys(form.errors).length > 0;
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) => save.mutate(v.items))}
      data-testid="phrases-form"
    >
      <Stack gap="xs" maw={900}>
        {save.isError && (
          <Alert color="red" role="alert" data-testid="phrases-error">
            {itemError ? t('common.fixErrors') : errorText(save.error, t)}
          </Alert>
        )}
        {items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('phrases.empty')}
          </Text>
        )}
        {items.map((row, i) => {
          const name = row.text || String(i + 1);
          return (
            <Group key={row.key} gap="xs" align="flex-start" wrap="nowrap" data-testid="phrase-row">
              <NativeSelect
                aria-label={`${t('phrases.decision')} ${i + 1}`}
                data={decisions.map((d) => ({ value: d, label: decisionLabel(d) }))}
                w={150}
                style={{ flex: '0 0 auto' }}
                {...form.getInputProps(`items.${i}.decision`)}
              />
              <TextInput aria-label={`${t('phrases.text')} ${i + 1}`} style={{ flex: 1 }} maxLength={300} {...form.getInputProps(`items.${i}.text`)} />
              <ActionIcon variant="default" size="lg" aria-label={t('phrases.up', { text: name })} disabled={i === 0} onClick={() => form.reorderListItem('items', { from: i, to: i - 1 })}>
                ↑
              </ActionIcon>
              <ActionIcon variant="default" size="lg" aria-label={t('phrases.down', { text: name })} disabled={i === items.length - 1} onClick={() => form.reorderListItem('items', { from: i, to: i + 1 })}>
                ↓
              </ActionIcon>
              <ActionIcon variant="default" color="red" size="lg" aria-label={t('phrases.remove', { text: name })} onClick={() => form.removeListItem('items', i)}>
                ✕
              </ActionIcon>
            </Group>
          );
        })}
        <Group>
          <Button variant="default" onClick={() => form.insertListItem('items', { key: `new${++added}`, decision: 'acknowledge', text: '' })}>
            {t('phrases.add')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function PhrasesSection({ orgId }: { orgId: number }) {
  const { t } = useI18n();
  const phrases = usePhrases(orgId);
  return (
    <Stack gap="xs" mt="xl" data-testid="phrases-section">
      <Title order={3}>{t('phrases.title')}</Title>
      <Text size="sm" maw={900}>
        {t('phrases.help', { unit: UNIT_PLACEHOLDER })}
      </Text>
      <QueryError error={phrases.error} />
      {phrases.isLoading && <Loader size="sm" role="status" aria-label={t('common.loading')} />}
      {phrases.data && <PhrasesForm key={orgId} orgId={orgId} phrases={phrases.data} />}
    </Stack>
  );
}
