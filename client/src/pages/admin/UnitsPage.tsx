// Units (กอง, กลุ่มงาน) of an organisation: list, add, change.
import { useState } from 'react';
import { Button, Checkbox, NativeSelect, Table, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { StatusBadge } from '../../components/StatusBadge';
import { api } from '../../lib/api';
import { unitName } from './names';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import type { Unit } from '../../lib/types';
import { FormModal, PageHeader, QueryError, idOrNull, nullIfEmpty, requiredFields, useAdminOrg, useList, useSubmit } from './kit';

export const UNIT_KINDS = ['division', 'section', 'office', 'bureau'] as const;

function UnitForm({ orgId, unit, units, onClose }: { orgId: number; unit: Unit | null; units: Unit[]; onClose: () => void }) {
  const { t, locale } = useI18n();
  const initialValues = {
    nameTh: unit?.nameTh ?? '',
    nameEn: unit?.nameEn ?? '',
    kind: unit?.kind ?? 'division',
    ownerCode: unit?.ownerCode ?? '',
    parentUnitId: unit?.parentUnitId ? String(unit.parentUnitId) : '',
    keepsOwnRegister: unit?.keepsOwnRegister ?? false,
    active: unit?.active ?? true,
  };
  const form = useForm({ initialValues, validate: requiredFields<typeof initialValues>(t, ['nameTh', 'kind']) });
  const listPath = `/organisations/${orgId}/units`;
  const { onSubmit, busy, formError } = useSubmit(
    form,
    (v) => {
      const { active, ...rest } = { ...nullIfEmpty(v, ['nameEn', 'ownerCode']), parentUnitId: idOrNull(v.parentUnitId) };
      const body = unit ? { ...rest, active } : rest;
      return unit ? api.patch<Unit>(`/units/${unit.id}`, body) : api.post<Unit>(listPath, body);
    },
    { invalidate: [listPath], onDone: onClose },
  );
  const kinds = Array.from(new Set([...UNIT_KINDS, form.values.kind]));
  return (
    <FormModal opened onClose={onClose} title={unit ? t('common.edit') : t('unit.new')} onSubmit={onSubmit} busy={busy} formError={formError}>
      <TextInput label={t('unit.nameTh')} required {...form.getInputProps('nameTh')} />
      <TextInput label={t('unit.nameEn')} {...form.getInputProps('nameEn')} />
      <NativeSelect
        label={t('unit.kind')}
        data={kinds.map((k) => ({ value: k, label: (UNIT_KINDS as readonly string[]).includes(k) ? t(`unit.kind.${k}` as MessageKey) : k }))}
        {...form.getInputProps('kind')}
      />
      <TextInput label={t('unit.ownerCode')} placeholder="สธ 0201.2" {...form.getInputProps('ownerCode')} />
      <NativeSelect
        label={t('unit.parent')}
        data={[{ value: '', label: t('common.none') }, ...units.filter((u) => u.id !== unit?.id).map((u) => ({ value: String(u.id), label: unitName(u, locale) }))]}
        {...form.getInputProps('parentUnitId')}
      />
      <Checkbox label={t('unit.keepsOwnRegister')} {...form.getInputProps('keepsOwnRegister', { type: 'checkbox' })} />
      {unit && <Checkbox label={t('common.active')} {...form.getInputProps('active', { type: 'checkbox' })} />}
    </FormModal>
  );
}

export function UnitsPage() {
  const { t, locale } = useI18n();
  const { orgId, select } = useAdminOrg();
  const units = useList<Unit>(`/organisations/${orgId}/units`);
  const [editing, setEditing] = useState<Unit | null | 'new'>(null);
  const byId = new Map((units.data ?? []).map((u) => [u.id, u]));

  return (
    <>
      <PageHeader title={t('unit.title')} action={<Button onClick={() => setEditing('new')}>{t('unit.new')}</Button>}>
        {select}
      </PageHeader>
      <QueryError error={units.error} />
      <Table.ScrollContainer minWidth={600}>
        <Table striped highlightOnHover aria-label={t('unit.title')} data-testid="units-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('unit.nameTh')}</Table.Th>
              <Table.Th>{t('unit.kind')}</Table.Th>
              <Table.Th>{t('unit.ownerCode')}</Table.Th>
              <Table.Th>{t('unit.parent')}</Table.Th>
              <Table.Th>{t('common.status')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(units.data ?? []).map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>{unitName(u, locale)}</Table.Td>
                <Table.Td>{(UNIT_KINDS as readonly string[]).includes(u.kind) ? t(`unit.kind.${u.kind}` as MessageKey) : u.kind}</Table.Td>
                <Table.Td>{u.ownerCode ?? '—'}</Table.Td>
                <Table.Td>{u.parentUnitId ? unitName(byId.get(u.parentUnitId), locale) : '—'}</Table.Td>
                <Table.Td>
                  <StatusBadge ok={u.active}>
                    {u.active ? t('common.active') : t('common.inactive')}
                  </StatusBadge>
                </Table.Td>
                <Table.Td>
                  <Button size="xs" variant="subtle" onClick={() => setEditing(u)} aria-label={`${t('common.edit')} ${unitName(u, locale)}`}>
                    {t('common.edit')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editing && <UnitForm orgId={orgId} unit={editing === 'new' ? null : editing} units={units.data ?? []} onClose={() => setEditing(null)} />}
    </>
  );
}
