// Delegations of authority: appoint someone to act for a position (ปฏิบัติราชการแทน or
// รักษาราชการแทน) under an order with its number and dates, and revoke it.
import { useState } from 'react';
import { Group, NativeSelect, Radio, SimpleGrid, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { modals } from './confirm';
import { StatusBadge } from '../../components/StatusBadge';
import { api } from '../../lib/api';
import { positionTitle, userName } from './names';
import { useI18n } from '../../i18n';
import { ThaiDateInput } from '../../components/ThaiDateInput';
import type { Delegation, Position, User } from '../../lib/types';
import { FormModal, ListPage, ListTable, RowButton, byId, choices, requiredFields, useAdminOrg, useList, useListChange, useSubmit } from './kit';

/** `datetime-local` values are Bangkok wall-clock time; the server takes instants with an offset. */
const bangkokInput = (d: Date) => new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 16);
const fromBangkokInput = (v: string) => (v ? `${v}:00+07:00` : null);

function DelegationForm({ orgId, positions, users, onClose }: { orgId: number; positions: Position[]; users: User[]; onClose: () => void }) {
  const { t, locale } = useI18n();
  const initialValues = { principalPositionId: '', delegateUserId: '', capacity: 'acting_for', startsAt: bangkokInput(new Date()), endsAt: '', orderNumber: '', orderDate: '', note: '' };
  const form = useForm({ initialValues, validate: requiredFields<typeof initialValues>(t, ['startsAt', 'orderNumber'], ['principalPositionId', 'delegateUserId']) });
  const listPath = `/organisations/${orgId}/delegations`;
  const submit = useSubmit(
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
  return (
    <FormModal opened onClose={onClose} title={t('delegation.new')} {...submit}>
      <NativeSelect
        label={t('delegation.principal')}
        required
        data={choices('—', positions, (p) => positionTitle(p, locale))}
        {...form.getInputProps('principalPositionId')}
      />
      <NativeSelect
        label={t('delegation.delegate')}
        required
        data={choices('—', users, (u) => `${userName(u, locale)} (${u.username})`)}
        {...form.getInputProps('delegateUserId')}
      />
      <Radio.Group label={t('delegation.capacity')} required {...form.getInputProps('capacity')}>
        <Group mt="xs">
          <Radio value="acting_for" label={t('capacity.acting_for')} />
          <Radio value="acting_in_post" label={t('capacity.acting_in_post')} />
        </Group>
      </Radio.Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <ThaiDateInput withTime label={t('delegation.startsAt')} required value={form.values.startsAt} error={form.errors.startsAt as string | undefined} onChange={(v) => form.setFieldValue('startsAt', v)} />
        <ThaiDateInput withTime label={t('delegation.endsAt')} description={t('delegation.open')} value={form.values.endsAt} error={form.errors.endsAt as string | undefined} onChange={(v) => form.setFieldValue('endsAt', v)} />
        <TextInput label={t('delegation.orderNumber')} required placeholder="15/2569" {...form.getInputProps('orderNumber')} />
        <ThaiDateInput label={t('delegation.orderDate')} value={form.values.orderDate} error={form.errors.orderDate as string | undefined} onChange={(v) => form.setFieldValue('orderDate', v)} />
      </SimpleGrid>
      <Textarea label={t('delegation.note')} autosize minRows={2} {...form.getInputProps('note')} />
    </FormModal>
  );
}

export function DelegationsPage() {
  const { t, locale, date } = useI18n();
  const { orgId, select } = useAdminOrg();
  const listPath = `/organisations/${orgId}/delegations`;
  const delegations = useList<Delegation>(listPath);
  const positions = useList<Position>(`/organisations/${orgId}/positions`);
  const users = useList<User>(`/organisations/${orgId}/users`);
  const [creating, setCreating] = useState(false);
  const positionById = byId(positions.data);
  const userById = byId(users.data);
  const revoke = useListChange((id: number) => api.post<Delegation>(`/delegations/${id}/revoke`), listPath);

  return (
    <ListPage title={t('delegation.title')} newLabel={t('delegation.new')} onNew={() => setCreating(true)} filters={select} error={delegations.error ?? revoke.error}>
      <ListTable
        label={t('delegation.title')}
        minWidth={900}
        rows={delegations.data ?? []}
        columns={[
          {
            header: t('delegation.delegate'),
            cell: (d) => {
              const delegate = userById.get(d.delegateUserId);
              return (
                <>
                  <Text size="sm">{userName(delegate, locale)}</Text>
                  {delegate?.positionId != null && (
                    <Text size="xs" c="dimmed">
                      {positionTitle(positionById.get(delegate.positionId), locale)}
                    </Text>
                  )}
                </>
              );
            },
          },
          { header: t('delegation.capacity'), cell: (d) => t(`capacity.${d.capacity}`) },
          { header: t('delegation.principal'), cell: (d) => positionTitle(positionById.get(d.principalPositionId), locale) },
          { header: t('delegation.startsAt'), cell: (d) => date(d.startsAt, 'shortDateTime') },
          { header: t('delegation.endsAt'), cell: (d) => (d.endsAt ? date(d.endsAt, 'shortDateTime') : t('delegation.open')) },
          {
            header: t('delegation.orderNumber'),
            cell: (d) => (
              <>
                <Text size="sm">{d.orderNumber}</Text>
                {d.orderDate && (
                  <Text size="xs" c="dimmed">
                    {date(d.orderDate, 'long')}
                  </Text>
                )}
              </>
            ),
          },
          {
            header: t('common.status'),
            // Not active: revoked, not yet begun (an appointment made ahead), or over.
            cell: (d) => (
              <StatusBadge ok={d.active}>
                {d.revokedAt ? t('delegation.revoked') : d.active ? t('delegation.active') : new Date(d.startsAt) > new Date() ? t('delegation.notStarted') : t('delegation.ended')}
              </StatusBadge>
            ),
          },
        ]}
        actions={(d) =>
          !d.revokedAt && (
            <RowButton color="red" loading={revoke.isPending && revoke.variables === d.id} onClick={() => modals.confirm(t('delegation.revokeConfirm'), () => revoke.mutate(d.id))}>
              {t('delegation.revoke')}
            </RowButton>
          )
        }
      />
      {creating && <DelegationForm orgId={orgId} positions={positions.data ?? []} users={users.data ?? []} onClose={() => setCreating(false)} />}
    </ListPage>
  );
}
