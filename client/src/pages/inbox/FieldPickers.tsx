// Form fields that name a unit (e.g. assignUnitId of the มอบหมาย decision) are a picker of the
// organisation's units by name, not a box for an id nobody knows. A field named after one choice
// of the decision (assign… for `assign`) is shown, and required, only when that choice is made.
import { useQuery } from '@tanstack/react-query';
import { NativeSelect } from '@mantine/core';
import { api } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { useI18n } from '../../i18n';
import type { List, Unit } from '../../lib/types';
import { unitName } from '../admin/names';
import type { FormField } from './types';

export const isUnitField = (field: FormField) => /UnitId$/.test(field.id) && field.type !== 'boolean' && field.type !== 'enum';

/** The choice of another enum field this field belongs to (`assign` for assignUnitId), if any. */
export function choiceOf(field: FormField, fields: FormField[]): { fieldId: string; value: string } | null {
  for (const f of fields) {
    if (f.type !== 'enum' || f.id === field.id) continue;
    const match = (f.values ?? []).find((v) => v.id.length > 2 && field.id.startsWith(v.id) && /^[A-Z]/.test(field.id.slice(v.id.length)));
    if (match) return { fieldId: f.id, value: match.id };
  }
  return null;
}

/** The active units of my organisation, as the pickers offer them. */
export function useOrgUnits(): Unit[] {
  const { me } = useAuth();
  const orgId = me?.organisation.id;
  const units = useQuery({ queryKey: ['org-units', orgId], queryFn: () => api.get<List<Unit>>(`/organisations/${orgId}/units`), enabled: orgId != null, staleTime: 60_000 });
  return (units.data?.items ?? []).filter((u) => u.active);
}

export function UnitPicker({ label, error, required, name, value, onChange }: { label: string; error?: string; required?: boolean; name: string; value: string; onChange: (v: string) => void }) {
  const { t, locale } = useI18n();
  const choices = useOrgUnits();
  return (
    <NativeSelect
      label={label}
      name={name}
      error={error}
      withAsterisk={required}
      required={required}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      data={[{ value: '', label: t('validation.choose') }, ...choices.map((u) => ({ value: String(u.id), label: unitName(u, locale) }))]}
    />
  );
}
