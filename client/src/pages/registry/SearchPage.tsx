// ค้นหาหนังสือ: Thai words (the server segments them as it indexed the letters) with filters and
// paging; the filters live in the address, so a search can be bookmarked.
import { useState } from 'react';
import { Link } from 'react-router';
import { useAddressState } from '../../lib/addressState';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { api } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { useI18n } from '../../i18n';
import { ThaiDateInput } from '../../components/ThaiDateInput';
import type { MessageKey } from '../../i18n/messages';
import type { List, Unit } from '../../lib/types';
import { LetterMarks } from '../../components/document/DocumentView';
import { DOCUMENT_TYPES, SECRECIES, URGENCIES, type DocumentRecord } from '../../components/document/types';
import { recentYears, useRegisters } from './common';

const PAGE = 20;
const FILTERS = ['q', 'letterNumber', 'type', 'registerId', 'year', 'urgency', 'secrecy', 'from', 'to', 'unitId'] as const;

export function SearchPage() {
  const { t, date, locale } = useI18n();
  const { me } = useAuth();
  const [params, setAddress] = useAddressState();
  const [q, setQ] = useState(params.get('q') ?? '');
  const registers = useRegisters();
  const units = useQuery({ queryKey: ['units', me?.organisation.id], queryFn: () => api.get<List<Unit>>(`/organisations/${me!.organisation.id}/units`), enabled: !!me, retry: false });
  const offset = Number(params.get('offset')) || 0;
  const query = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  for (const f of FILTERS) if (params.get(f)) query.set(f, params.get(f)!);
  const searched = FILTERS.some((f) => params.get(f));
  const results = useQuery({
    queryKey: ['search', query.toString()],
    queryFn: () => api.get<{ items: DocumentRecord[]; hasMore: boolean; tokens: string[] }>(`/search/documents?${query}`),
    enabled: searched,
    placeholderData: keepPreviousData,
  });
  const set = (name: string, value: string) => setAddress({ [name]: value, offset: '' });
  const select = (name: string, label: MessageKey, options: Array<{ value: string; label: string }>) => (
    <NativeSelect label={t(label)} value={params.get(name) ?? ''} onChange={(e) => set(name, e.currentTarget.value)} data={[{ value: '', label: t('registry.all') }, ...options]} w={200} />
  );
  const items = results.data?.items ?? [];

  return (
    <Stack>
      <Title order={2}>{t('registry.search.title')}</Title>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          set('q', q.trim());
        }}
      >
        <Group align="end" gap="sm">
          <TextInput label={t('registry.search.words')} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={360} maw="100%" />
          <Button type="submit">{t('registry.search.submit')}</Button>
        </Group>
      </form>
      <Group align="end" wrap="wrap" gap="sm">
        {select('type', 'doc.type', DOCUMENT_TYPES.map((x) => ({ value: x, label: t(`doc.type.${x}` as MessageKey) })))}
        {select('registerId', 'registry.register', (registers.data ?? []).map((r) => ({ value: String(r.id), label: r.nameTh })))}
        {select('year', 'registry.year', recentYears().map((y) => ({ value: String(y), label: String(y) })))}
        {select('urgency', 'doc.urgency', URGENCIES.map((x) => ({ value: x, label: t(`doc.urgency.${x}` as MessageKey) })))}
        {select('secrecy', 'doc.secrecy', SECRECIES.map((x) => ({ value: x, label: t(`doc.secrecy.${x}` as MessageKey) })))}
        <ThaiDateInput label={t('registry.search.from')} value={params.get('from') ?? ''} onChange={(v) => set('from', /^\d{4}-\d{2}-\d{2}$/.test(v) || !v ? v : params.get('from') ?? '')} />
        <ThaiDateInput label={t('registry.search.to')} value={params.get('to') ?? ''} onChange={(v) => set('to', /^\d{4}-\d{2}-\d{2}$/.test(v) || !v ? v : params.get('to') ?? '')} />
        {units.data && select('unitId', 'registry.unit', units.data.items.map((u) => ({ value: String(u.id), label: u.nameTh })))}
      </Group>
      {results.isError && <Text c="red.9">{t('common.error')}</Text>}
      {results.isSuccess && items.length === 0 && <Text c="dimmed">{t('registry.search.none')}</Text>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table striped data-testid="search-results">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('registry.col.number')}</Table.Th>
                <Table.Th>{t('doc.letterNumber')}</Table.Th>
                <Table.Th>{t('doc.subject')}</Table.Th>
                <Table.Th>{t('doc.from')}</Table.Th>
                <Table.Th>{t('registry.col.date')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>{d.registration ? `${d.registration.number}/${d.registration.year}` : t(`doc.status.${d.status}` as MessageKey)}</Table.Td>
                  <Table.Td>{d.letterNumber ?? '—'}</Table.Td>
                  <Table.Td>
                    <LetterMarks doc={d} />
                    <Link to={`/documents/${d.id}`}>{d.subject}</Link>
                  </Table.Td>
                  <Table.Td>{d.senderName ?? d.addressee ?? '—'}</Table.Td>
                  <Table.Td>{d.registration ? (locale === 'th' ? `${d.registration.dateTh} ${d.registration.timeTh}` : date(d.registration.registeredAt, 'shortDateTime')) : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {searched && (
        <Group>
          <Button variant="default" disabled={offset === 0} onClick={() => setAddress({ offset: Math.max(0, offset - PAGE) })}>
            {t('registry.prev')}
          </Button>
          <Button variant="default" disabled={!results.data?.hasMore} onClick={() => setAddress({ offset: offset + PAGE })}>
            {t('registry.next')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
