// The organisation's own record: names, codes, contact (changes go to PATCH /organisations/:id).
import { Button, Group, NativeSelect, SimpleGrid, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import type { Organisation } from '../../lib/types';
import { PageHeader, QueryError, nullIfEmpty, requiredFields, useAdminOrg, useList, useSubmit } from './kit';
import { Alert } from '@mantine/core';

const KINDS = ['ministry', 'department', 'provincial_office', 'regional_office', 'agency'];

function OrganisationForm({ org }: { org: Organisation }) {
  const { t } = useI18n();
  const ministries = useList<{ code: string; nameTh: string }>('/code-lists/ministries');
  const initial = {
    nameTh: org.nameTh,
    nameEn: org.nameEn ?? '',
    kind: org.kind,
    agencyCode: org.agencyCode,
    ministryCode: org.ministryCode ?? '',
    interchangeId: org.interchangeId ?? '',
    address: org.address ?? '',
    phone: org.phone ?? '',
    email: org.email ?? '',
  };
  const form = useForm({ initialValues: initial, validate: requiredFields<typeof initial>(t, ['nameTh', 'agencyCode']) });
  const { onSubmit, busy, formError } = useSubmit(
    form,
    (v) => api.patch<Organisation>(`/organisations/${org.id}`, nullIfEmpty(v, ['nameEn', 'ministryCode', 'interchangeId', 'address', 'phone', 'email'])),
    { invalidate: [`/organisations/${org.id}`, '/organisations'], onDone: () => undefined },
  );
  return (
    <form onSubmit={onSubmit} noValidate>
      {formError && (
        <Alert color="red" role="alert" mb="md" data-testid="form-error">
          {formError}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }} maw={900}>
        <TextInput label={t('org.nameTh')} required {...form.getInputProps('nameTh')} />
        <TextInput label={t('org.nameEn')} {...form.getInputProps('nameEn')} />
        <NativeSelect label={t('org.kind')} data={KINDS.map((k) => ({ value: k, label: t(`org.kind.${k}` as MessageKey) }))} {...form.getInputProps('kind')} />
        <TextInput label={t('org.agencyCode')} required {...form.getInputProps('agencyCode')} />
        <NativeSelect
          label={t('org.ministryCode')}
          data={[{ value: '', label: '—' }, ...(ministries.data ?? []).map((m) => ({ value: m.code, label: `${m.code} ${m.nameTh}` }))]}
          {...form.getInputProps('ministryCode')}
        />
        <TextInput label={t('org.interchangeId')} {...form.getInputProps('interchangeId')} />
        <TextInput label={t('org.phone')} type="tel" {...form.getInputProps('phone')} />
        <TextInput label={t('org.email')} type="email" {...form.getInputProps('email')} />
      </SimpleGrid>
      <Textarea label={t('org.address')} maw={900} mt="sm" autosize minRows={2} {...form.getInputProps('address')} />
      <Group mt="md">
        <Button type="submit" loading={busy}>
          {t('common.save')}
        </Button>
      </Group>
    </form>
  );
}

export function OrganisationPage() {
  const { t } = useI18n();
  const { orgId, select } = useAdminOrg();
  const org = useQuery({ queryKey: [`/organisations/${orgId}`], queryFn: () => api.get<Organisation>(`/organisations/${orgId}`) });
  return (
    <>
      <PageHeader title={t('org.title')}>{select}</PageHeader>
      <QueryError error={org.error} />
      {org.data && <OrganisationForm key={org.data.id} org={org.data} />}
    </>
  );
}
