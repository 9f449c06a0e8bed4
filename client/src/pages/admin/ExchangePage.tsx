// The exchange with agencies elsewhere (administrators at the top of the tree): the directory (list,
// add, edit, import a signed introduction, export ours), this deployment's certificate fingerprint,
// messages not delivered (retry) and refused inbound requests.
import { useState } from 'react';
import { Badge, Button, Code, Group, NativeSelect, Stack, Table, Tabs, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { useI18n } from '../../i18n';
import { ActiveBadge, FormModal, ListTable, PageHeader, QueryError, RowActions, RowButton, nullIfEmpty, requiredFields, useAdministeredOrganisations, useEditing, useList, useListChange, useSubmit } from './kit';

interface Peer {
  id: number; nameTh: string; nameEn: string | null; ministryCode: string | null; agencyCode: string; ecmsOrganisationId: string | null;
  transport: 'saraban' | 'ecms' | 'email'; ecmsMode: 'direct' | 'poll' | 'pickup'; endpointUrl: string | null; email: string | null; certificatePem: string | null; certificateSha256: string | null; active: boolean;
}
interface OutboxItem { id: number; kind: string; status: string; attempts: number; lastError: string | null; letterNumber: string | null; peer: { nameTh: string | null }; queuedAt: string }
interface SetAsideItem { id: number; processId: string; kind: 'letter' | 'notifier'; claimedSender: string | null; reason: string; detail: string | null; status: 'held' | 'stored'; at: string }
interface Refusal { id: number; at: string; status: number; reason: string; detail: string | null; claimedSender: string | null; remoteAddress: string | null }

const PEERS = '/exchange/peers';
const fingerprint = (sha: string | null) => (sha ? sha.match(/.{2}/g)!.slice(0, 8).join(':') + '…' : '—');

function PeerForm({ peer, onClose }: { peer: Peer | null; onClose: () => void }) {
  const { t } = useI18n();
  const initialValues = {
    nameTh: peer?.nameTh ?? '', nameEn: peer?.nameEn ?? '', ministryCode: peer?.ministryCode ?? '', agencyCode: peer?.agencyCode ?? '', ecmsOrganisationId: peer?.ecmsOrganisationId ?? '',
    transport: peer?.transport ?? 'saraban', ecmsMode: peer?.ecmsMode ?? 'direct', endpointUrl: peer?.endpointUrl ?? '', email: peer?.email ?? '', certificatePem: peer?.certificatePem ?? '',
  };
  const form = useForm({ initialValues, validate: requiredFields<typeof initialValues>(t, ['nameTh', 'agencyCode']) });
  const submit = useSubmit(form, (v) => {
    // Polling and pickup are ECMS ways only: another transport is always direct.
    const body = nullIfEmpty({ ...v, ecmsMode: v.transport === 'ecms' ? v.ecmsMode : 'direct' }, ['nameEn', 'ministryCode', 'ecmsOrganisationId', 'endpointUrl', 'email', 'certificatePem']);
    return peer ? api.patch<Peer>(`${PEERS}/${peer.id}`, body) : api.post<Peer>(PEERS, body);
  }, { invalidate: [PEERS], onDone: onClose });
  return (
    <FormModal opened onClose={onClose} title={peer ? t('common.edit') : t('exchange.new')} {...submit}>
      <TextInput label={t('exchange.nameTh')} required {...form.getInputProps('nameTh')} />
      <TextInput label={t('exchange.nameEn')} {...form.getInputProps('nameEn')} />
      <Group grow>
        <TextInput label={t('exchange.ministryCode')} {...form.getInputProps('ministryCode')} />
        <TextInput label={t('exchange.agencyCode')} required {...form.getInputProps('agencyCode')} />
        <TextInput label={t('exchange.ecmsId')} {...form.getInputProps('ecmsOrganisationId')} />
      </Group>
      <NativeSelect label={t('exchange.transport')} data={['saraban', 'ecms', 'email'].map((v) => ({ value: v, label: t(`exchange.transport.${v}` as 'exchange.transport.saraban') }))} {...form.getInputProps('transport')} />
      {form.values.transport === 'ecms' && (
        <NativeSelect label={t('exchange.ecmsMode')} data={['direct', 'poll', 'pickup'].map((v) => ({ value: v, label: t(`exchange.ecmsMode.${v}` as 'exchange.ecmsMode.direct') }))} {...form.getInputProps('ecmsMode')} />
      )}
      <TextInput label={t('exchange.endpoint')} placeholder="https://saraban.example.go.th/api/exchange/inbox" {...form.getInputProps('endpointUrl')} />
      <TextInput label={t('exchange.email')} {...form.getInputProps('email')} />
      <Textarea label={t('exchange.certificate')} autosize minRows={3} maxRows={8} placeholder="-----BEGIN CERTIFICATE-----" styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }} {...form.getInputProps('certificatePem')} />
    </FormModal>
  );
}

function ImportForm({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const form = useForm({ initialValues: { file: '' }, validate: requiredFields<{ file: string }>(t, ['file']) });
  const submit = useSubmit(form, (v) => api.post<{ peer: Peer }>(`${PEERS}/import`, v), { invalidate: [PEERS], onDone: onClose });
  const readFile = async (f: File | undefined) => f && form.setFieldValue('file', await f.text());
  return (
    <FormModal opened onClose={onClose} title={t('exchange.import')} {...submit}>
      <Text size="sm">{t('exchange.importHelp')}</Text>
      <input type="file" accept=".json,application/json" aria-label={t('exchange.importFile')} onChange={(e) => void readFile(e.currentTarget.files?.[0])} />
      <Textarea label={t('exchange.importFile')} autosize minRows={3} maxRows={6} {...form.getInputProps('file')} />
    </FormModal>
  );
}

function Introduction() {
  const { t, locale } = useI18n();
  const { items } = useAdministeredOrganisations();
  const [org, setOrg] = useState('');
  const identity = useQuery({ queryKey: ['/exchange/identity'], queryFn: () => api.get<{ certificateSha256: string; notAfter: string }>('/exchange/identity') });
  const download = async () => {
    const intro = await api.get<{ file: string }>(`/exchange/introduction?organisationId=${org}`);
    const url = URL.createObjectURL(new Blob([intro.file], { type: 'application/json' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: `saraban-introduction-${org}.json` });
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <Stack gap="xs">
      <Text size="sm">{t('exchange.ourFingerprint')}: <Code>{identity.data?.certificateSha256 ?? '…'}</Code></Text>
      <Group align="flex-end">
        <NativeSelect label={t('exchange.exportFor')} value={org} onChange={(e) => setOrg(e.currentTarget.value)} data={[{ value: '', label: '—' }, ...items.map((o) => ({ value: String(o.id), label: (locale === 'en' && o.nameEn) || o.nameTh }))]} maw={420} />
        <Button variant="light" disabled={!org} onClick={() => void download()}>{t('exchange.export')}</Button>
      </Group>
    </Stack>
  );
}

function Undelivered() {
  const { t } = useI18n();
  const path = '/exchange/outbox?status=failed';
  const rows = useList<OutboxItem>(path);
  const retry = useListChange((id: number) => api.post(`/exchange/outbox/${id}/retry`), path);
  return (
    <>
      <QueryError error={rows.error ?? retry.error} />
      {rows.data?.length === 0 && <Text c="dimmed">{t('exchange.noneUndelivered')}</Text>}
      <ListTable label={t('exchange.undelivered')} rows={rows.data ?? []} columns={[
        { header: t('exchange.peer'), cell: (r) => r.peer.nameTh ?? '—' },
        { header: t('exchange.letter'), cell: (r) => r.letterNumber ?? (r.kind === 'notice' ? t('exchange.notice') : '—') },
        { header: t('exchange.attempts'), cell: (r) => r.attempts },
        { header: t('exchange.lastError'), cell: (r) => <Text size="xs" c="red">{r.lastError}</Text> },
      ]} actions={(r) => <RowButton onClick={() => retry.mutate(r.id)} loading={retry.isPending}>{t('exchange.retry')}</RowButton>} />
    </>
  );
}

/** ECMS queue items that could not be stored as they were: kept here, removed from the node; a letter may be tried again. */
function SetAside() {
  const { t } = useI18n();
  const path = '/exchange/set-aside?status=held';
  const rows = useList<SetAsideItem>(path);
  const retry = useListChange((id: number) => api.post(`/exchange/set-aside/${id}/retry`), path);
  return (
    <>
      <Text size="sm" c="dimmed">{t('exchange.setAside.help')}</Text>
      <QueryError error={rows.error ?? retry.error} />
      {rows.data?.length === 0 && <Text c="dimmed">{t('exchange.setAside.none')}</Text>}
      <ListTable label={t('exchange.setAside')} rows={rows.data ?? []} columns={[
        { header: t('exchange.refusal.at'), cell: (r) => new Date(r.at).toLocaleString('th-TH') },
        { header: t('exchange.refusal.sender'), cell: (r) => r.claimedSender ?? '—' },
        { header: t('exchange.refusal.reason'), cell: (r) => <Badge color="orange" variant="light">{r.reason}</Badge> },
        { header: t('exchange.refusal.detail'), cell: (r) => <Text size="xs">{r.detail}</Text> },
      ]} actions={(r) => (r.kind === 'letter' ? <RowButton onClick={() => retry.mutate(r.id)} loading={retry.isPending}>{t('exchange.setAside.retry')}</RowButton> : null)} />
    </>
  );
}

function Refusals() {
  const { t } = useI18n();
  const rows = useList<Refusal>('/exchange/refusals?limit=200');
  return (
    <>
      <QueryError error={rows.error} />
      <Table striped aria-label={t('exchange.refusals')}>
        <Table.Thead><Table.Tr>{['at', 'reason', 'sender', 'detail'].map((k) => <Table.Th key={k}>{t(`exchange.refusal.${k}` as 'exchange.refusal.at')}</Table.Th>)}</Table.Tr></Table.Thead>
        <Table.Tbody>
          {(rows.data ?? []).map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{new Date(r.at).toLocaleString('th-TH')}</Table.Td>
              <Table.Td><Badge color="red" variant="light">{r.status} {r.reason}</Badge></Table.Td>
              <Table.Td>{r.claimedSender ?? '—'} <Text span size="xs" c="dimmed">{r.remoteAddress}</Text></Table.Td>
              <Table.Td><Text size="xs">{r.detail}</Text></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

export function ExchangePage() {
  const { t, locale } = useI18n();
  const peers = useList<Peer>(PEERS);
  const editing = useEditing<Peer>();
  const [importing, setImporting] = useState(false);
  return (
    <>
      <PageHeader title={t('exchange.title')} action={<Group><Button variant="light" onClick={() => setImporting(true)}>{t('exchange.import')}</Button><Button onClick={editing.create}>{t('exchange.new')}</Button></Group>}>
        <Introduction />
      </PageHeader>
      <Tabs defaultValue="directory">
        <Tabs.List>
          <Tabs.Tab value="directory">{t('exchange.directory')}</Tabs.Tab>
          <Tabs.Tab value="undelivered">{t('exchange.undelivered')}</Tabs.Tab>
          <Tabs.Tab value="refusals">{t('exchange.refusals')}</Tabs.Tab>
          <Tabs.Tab value="set-aside">{t('exchange.setAside')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="directory" pt="sm">
          <QueryError error={peers.error} />
          <ListTable label={t('exchange.directory')} rows={peers.data ?? []} columns={[
            { header: t('exchange.nameTh'), cell: (p) => (locale === 'en' && p.nameEn) || p.nameTh },
            { header: t('exchange.agencyCode'), cell: (p) => p.agencyCode },
            { header: t('exchange.transport'), cell: (p) => t(`exchange.transport.${p.transport}` as 'exchange.transport.saraban') },
            { header: t('exchange.fingerprint'), cell: (p) => <Code>{fingerprint(p.certificateSha256)}</Code> },
            { header: t('common.status'), cell: (p) => <ActiveBadge active={p.active} /> },
          ]} actions={(p) => <RowActions><RowButton onClick={() => editing.edit(p)}>{t('common.edit')}</RowButton></RowActions>} />
        </Tabs.Panel>
        <Tabs.Panel value="undelivered" pt="sm"><Undelivered /></Tabs.Panel>
        <Tabs.Panel value="refusals" pt="sm"><Refusals /></Tabs.Panel>
        <Tabs.Panel value="set-aside" pt="sm"><SetAside /></Tabs.Panel>
      </Tabs>
      {editing.open && <PeerForm peer={editing.item} onClose={editing.close} />}
      {importing && <ImportForm onClose={() => setImporting(false)} />}
    </>
  );
}
