// The organisation's own record (names, codes, contact) and the organisations below it:
// PATCH /organisations/:id to change it, POST /organisations to add one in its charge.
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, Button, Group, NativeSelect, SimpleGrid, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import type { Organisation } from '../../lib/types';
import { PhrasesSection } from './PhrasesSection';
import { FormModal, PageHeader, QueryError, nullIfEmpty, requiredFields, useAdminOrg, useList, useSubmit } from './kit';

const KINDS = ['ministry', 'department', 'provincial_office', 'regional_office', 'agency'];
const OPTIONAL = ['nameEn', 'ministryCode', 'interchangeId', 'address', 'phone', 'email'] as const;

function valuesOf(org: Organisation | null, parent: Organisation) {
  return {
    nameTh: org?.nameTh ?? '',
    nameEn: org?.nameEn ?? '',
    kind: org?.kind ?? 'provincial_office',
    agencyCode: org?.agencyCode ?? '',
    ministryCode: org?.ministryCode ?? parent.ministryCode ?? '',
    interchangeId: org?.interchangeId ?? '',
    address: org?.address ?? '',
    phone: org?.phone ?? '',
    email: org?.email ?? '',
  };
}
type OrgValues = ReturnType<typeof valuesOf>;

function useOrganisationForm(org: Organisation | null, parent: Organisation, onDone: (saved: Organisation) => void) {
  const { t } = useI18n();
  const initialValues = valuesOf(org, parent);
  const form = useForm({ initialValues, validate: requiredFields<OrgValues>(t, ['nameTh', 'agencyCode']) });
  const submit = useSubmit(
    form,
    (v) => {
      const body = nullIfEmpty(v, [...OPTIONAL]);
      return org ? api.patch<Organisation>(`/organisations/${org.id}`, body) : api.post<Organisation>('/organisations', { ...body, parentId: parent.id });
    },
    { invalidate: ['/organisations', `/organisations/${org?.id ?? parent.id}`], onDone },
  );
  return { form, ...submit };
}

function OrganisationFields({ form }: { form: ReturnType<typeof useOrganisationForm>['form'] }) {
  const { t } = useI18n();
  const ministries = useList<{ code: string; nameTh: string }>('/code-lists/ministries');
  return (
    <>
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
      <Textarea label={t('org.address')} maw={900} autosize minRows={2} {...form.getInputProps('address')} />
    </>
  );
}

function EditOrganisation({ org }: { org: Organisation }) {
  const { t } = useI18n();
  const { form, onSubmit, busy, formError } = useOrganisationForm(org, org, () => undefined);
  return (
    <form onSubmit={onSubmit} noValidate>
      {formError && (
        <Alert color="red" role="alert" mb="md" data-testid="form-error">
          {formError}
        </Alert>
      )}
      <OrganisationFields form={form} />
      <Group mt="md">
        <Button type="submit" loading={busy}>
          {t('common.save')}
        </Button>
      </Group>
    </form>
  );
}

function NewOrganisation({ parent, onClose }: { parent: Organisation; onClose: (created?: Organisation) => void }) {
  const { t } = useI18n();
  const { form, ...submit } = useOrganisationForm(null, parent, onClose);
  return (
    <FormModal opened onClose={() => onClose()} title={t('org.new')} {...submit}>
      <OrganisationFields form={form} />
    </FormModal>
  );
}

export function OrganisationPage() {
  const { t } = useI18n();
  const { orgId, select } = useAdminOrg();
  const [, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const org = useQuery({ queryKey: [`/organisations/${orgId}`], queryFn: () => api.get<Organisation>(`/organisations/${orgId}`) });
  return (
    <>
      <PageHeader title={t('org.title')} action={org.data && <Button onClick={() => setCreating(true)}>{t('org.new')}</Button>}>
        {select}
      </PageHeader>
      <QueryError error={org.error} />
      {org.data && <EditOrganisation key={org.data.id} org={org.data} />}
      {org.data && <PhrasesSection orgId={org.data.id} />}
      {creating && org.data && (
        <NewOrganisation
          parent={org.data}
          onClose={(created) => {
            setCreating(false);
            if (created) setParams({ org: String(created.id) });
          }}
        />
      )}
    </>
  );
}
