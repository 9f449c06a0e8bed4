// Units (กอง, กลุ่มงาน) of an organisation: list, add, change.
import { Checkbox, NativeSelect, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { api } from '../../lib/api';
import { unitName } from './names';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import type { Unit } from '../../lib/types';
import { ActiveBadge, FormModal, ListPage, ListTable, RowButton, byId, choices, idOrNull, nullIfEmpty, requiredFields, useAdminOrg, useEditing, useList, useSubmit } from './kit';

export const UNIT_KINDS = ['division', 'section', 'office', 'bureau'] as const;

/** A unit kind in the UI language; a kind the UI does not know is shown as the server has it. */
const kindLabel = (kind: string, t: ReturnType<typeof useI18n>['t']) => ((UNIT_KINDS as readonly string[]).includes(kind) ? t(`unit.kind.${kind}` as MessageKey) : kind);

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
  const submit = useSubmit(
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
    <FormModal opened onClose={onClose} title={unit ? t('common.edit') : t('unit.new')} {...submit}>
      <TextInput label={t('unit.nameTh')} required {...form.getInputProps('nameTh')} />
      <TextInput label={t('unit.nameEn')} {...form.getInputProps('nameEn')} />
      <NativeSelect
        label={t('unit.kind')}
        data={kinds.map((k) => ({ value: k, label: kindLabel(k, t) }))}
        {...form.getInputProps('kind')}
      />
      <TextInput label={t('unit.ownerCode')} placeholder="สธ 0201.2" {...form.getInputProps('ownerCode')} />
      <NativeSelect
        label={t('unit.parent')}
        data={choices(t('common.none'), units.filter((u) => u.id !== unit?.id), (u) => unitName(u, locale))}
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
  const editing = useEditing<Unit>();
  const unitById = byId(units.data);
  return (
    <ListPage title={t('unit.title')} newLabel={t('unit.new')} onNew={editing.create} filters={select} error={units.error}>
      <ListTable
        label={t('unit.title')}
        testId="units-table"
        rows={units.data ?? []}
        columns={[
          { header: t('unit.nameTh'), cell: (u) => unitName(u, locale) },
          { header: t('unit.kind'), cell: (u) => kindLabel(u.kind, t) },
          { header: t('unit.ownerCode'), cell: (u) => u.ownerCode ?? '—' },
          { header: t('unit.parent'), cell: (u) => (u.parentUnitId ? unitName(unitById.get(u.parentUnitId), locale) : '—') },
          { header: t('common.status'), cell: (u) => <ActiveBadge active={u.active} /> },
        ]}
        actions={(u) => (
          <RowButton onClick={() => editing.edit(u)} label={`${t('common.edit')} ${unitName(u, locale)}`}>
            {t('common.edit')}
          </RowButton>
        )}
      />
      {editing.open && <UnitForm orgId={orgId} unit={editing.item} units={units.data ?? []} onClose={editing.close} />}
    </ListPage>
  );
}
