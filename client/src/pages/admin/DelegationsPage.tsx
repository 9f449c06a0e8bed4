// Delegations of authority: appoint someone to act for a position (ปฏิบัติราชการแทน or
// รักษาราชการแทน) under an order with its number and dates, and revoke it.
import { useState } from 'react';
import { Button, Group, NativeSelect, Radio, SimpleGrid, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from '@mantine/form';
import { modals } from './confirm';
import { StatusBadge } from '../../components/StatusBadge';
import { api } from '../../lib/api';
import { positionTitle, userName } from './names';
import { useI18n } from '../../i18n';
import type { Delegation, Position, User } from '../../lib/types';
import { FormModal, PageHeader, QueryError, requiredFields, useAdminOrg, useList, useSubmit } from './kit';

/** `datetime-local` values are Bangkok wall-clock time; the server takes instants with an offset. */
const bangkokInput = (d: Date) => new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 16);
const fromBangkokInput = (v: string) => (v ? `${v}:00+07:00` : null);

function DelegationForm({ orgId, positions, users, onClose }: { orgId: number; positions: Position[]; users: User[]; onClose: () => void }) {
  const { t, locale, date } = useI18n();
  const initialValues = { principalPositionId: '', delegateUserId: '', capacity: 'acting_for', startsAt: bangkokInput(new Date()), endsAt: '', orderNumber: '', orderDate: '', note: '' };
  const form = useForm({ initialValues, validate: requiredFields<typeof initialValues>(t, ['startsAt', 'orderNumber'], ['principalPositionId', 'delegateUserId']) });
  const listPath = `/organisations/${orgId}/delegations`;
  const { onSubmit, busy, formError } = useSubmit(
    form,
    (v) =>
      api.post<Delegation>(listPath, {
        principalPositionId: Number(v.principalPositionId) || 0,
        delegateUserId: Number(v.delegateUserId) || 0,
        capacity: v.capacity,
        startsAt: fromBangkokInput(v.startsAt) ?? '',
        endsAt: fromBangkokInput(v.endsAt),
        orderNumber: v.orderNumber,
        orderDate: v.orderDate || null,
        note: v.note || null,
      }),
    { invalidate: [listPath], onDone: onClose },
  );
  const preview = (v: string) => (v ? date(fromBangkokInput(v), 'dateTime') : undefined);
  return (
    <FormModal opened onClose={onClose} title={t('delegation.new')} onSubmit={onSubmit} busy={busy} formError={formError}>
      <NativeSelect
        label={t('delegation.principal')}
        required
        data={[{ value: '', label: '—' }, ...positions.map((p) => ({ value: String(p.id), label: positionTitle(p, locale) }))]}
        {...form.getInputProps('principalPositionId')}
      />
      <NativeSelect
        label={t('delegation.delegate')}
        required
        data={[{ value: '', label: '—' }, ...users.map((u) => ({ value: String(u.id), label: `${userName(u, locale)} (${u.username})` }))]}
        {...form.getInputProps('delegateUserId')}
      />
      <Radio.Group label={t('delegation.capacity')} required {...form.getInputProps('capacity')}>
        <Group mt="xs">
          <Radio value="acting_for" label={t('capacity.acting_for')} />
          <Radio value="acting_in_post" label={t('capacity.acting_in_post')} />
        </Group>
      </Radio.Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput type="datetime-local" label={t('delegation.startsAt')} required description={preview(form.values.startsAt)} {...form.getInputProps('startsAt')} />
        <TextInput type="datetime-local" label={t('delegation.endsAt')} description={preview(form.values.endsAt) ?? t('delegation.open')} {...form.getInputProps('endsAt')} />
        <TextInput label={t('delegation.orderNumber')} required placeholder="15/2569" {...form.getInputProps('orderNumber')} />
        <TextInput type="date" label={t('delegation.orderDate')} description={form.values.orderDate ? date(form.values.orderDate, 'long') : undefined} {...form.getInputProps('orderDate')} />
      </SimpleGrid>
      <Textarea label={t('delegation.note')} autosize minRows={2} {...form.getInputProps('note')} />
    </FormModal>
  );
}

export function DelegationsPage() {
  const { t, locale, date } = useI18n();
  const { orgId, select } = useAdminOrg();
  const queryClient = useQueryClient();
  const listPath = `/organisations/${orgId}/delegations`;
  const delegations = useList<Delegation>(listPath);
  const positions = useList<Position>(`/organisations/${orgId}/positions`);
  const users = useList<User>(`/organisations/${orgId}/users`);
  const [creating, setCreating] = useState(false);
  const positionById = new Map((positions.data ?? []).map((p) => [p.id, p]));
  const userById = new Map((users.data ?? []).map((u) => [u.id, u]));
  const revoke = useMutation({
    mutationFn: (id: number) => api.post<Delegation>(`/delegations/${id}/revoke`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [listPath] }),
  });

  return (
    <>
      <PageHeader title={t('delegation.title')} action={<Button onClick={() => setCreating(true)}>{t('delegation.new')}</Button>}>
        {select}
      </PageHeader>
      <QueryError error={delegations.error ?? revoke.error} />
      <Table.ScrollContainer minWidth={900}>
        <Table striped highlightOnHover aria-label={t('delegation.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('delegation.delegate')}</Table.Th>
              <Table.Th>{t('delegation.capacity')}</Table.Th>
              <Table.Th>{t('delegation.principal')}</Table.Th>
              <Table.Th>{t('delegation.startsAt')}</Table.Th>
              <Table.Th>{t('delegation.endsAt')}</Table.Th>
              <Table.Th>{t('delegation.orderNumber')}</Table.Th>
              <Table.Th>{t('common.status')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(delegations.data ?? []).map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>{userName(userById.get(d.delegateUserId), locale)}</Table.Td>
                <Table.Td>{t(`capacity.${d.capacity}`)}</Table.Td>
                <Table.Td>{positionTitle(positionById.get(d.principalPositionId), locale)}</Table.Td>
                <Table.Td>{date(d.startsAt, 'shortDateTime')}</Table.Td>
                <Table.Td>{d.endsAt ? date(d.endsAt, 'shortDateTime') : t('delegation.open')}</Table.Td>
                <Table.Td>
                  <Text size="sm">{d.orderNumber}</Text>
                  {d.orderDate && (
                    <Text size="xs" c="dimmed">
                      {date(d.orderDate, 'long')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <StatusBadge ok={d.active}>
                    {d.revokedAt ? t('delegation.revoked') : d.active ? t('delegation.active') : t('delegation.ended')}
                  </StatusBadge>
                </Table.Td>
                <Table.Td>
                  {!d.revokedAt && (
                    <Button size="xs" variant="subtle" color="red" loading={revoke.isPending && revoke.variables === d.id} onClick={() => modals.confirm(t('delegation.revokeConfirm'), () => revoke.mutate(d.id))}>
                      {t('delegation.revoke')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {creating && <DelegationForm orgId={orgId} positions={positions.data ?? []} users={users.data ?? []} onClose={() => setCreating(false)} />}
    </>
  );
}
