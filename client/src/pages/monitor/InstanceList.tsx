// The instances of the watched process: search by number, business key, the letter's subject or
// number, and status; paged. The search lives in the address (?q=&status=&page=).
import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Anchor, Group, NativeSelect, Pagination, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { StatusBadge } from '../../components/StatusBadge';
import { monitorApi } from './monitorApi';
import { FigureTable } from './FigureTable';
import { useAddressState } from '../../lib/addressState';

const PAGE = 20;
const STATUSES = ['running', 'ended', 'incident'] as const;

export function InstanceList({ processKey, organisationId }: { processKey: string; organisationId?: number }) {
  const { t, date } = useI18n();
  const [params, set] = useAddressState();
  const q = params.get('q') ?? '';
  const status = STATUSES.find((s) => s === params.get('status')) ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [search] = useDebouncedValue(q.trim(), 300);
  const request = { processKey, organisationId, q: search || undefined, status: status || undefined, limit: PAGE, offset: (page - 1) * PAGE };
  const instances = useQuery({ queryKey: ['monitor', 'instances', request], queryFn: () => monitorApi.instances(request), placeholderData: keepPreviousData });

  return (
    <Stack gap="xs">
      <Title order={3}>{t('monitor.instances')}</Title>
      <Group align="end" gap="sm">
        <TextInput label={t('monitor.search')} value={q} onChange={(e) => set({ q: e.currentTarget.value, page: '' })} w={360} />
        <NativeSelect
          label={t('monitor.status')}
          value={status}
          onChange={(e) => set({ status: e.currentTarget.value, page: '' })}
          data={[{ value: '', label: t('monitor.statusAll') }, ...STATUSES.map((s) => ({ value: s, label: t(`monitor.status.${s}` as MessageKey) }))]}
        />
      </Group>
      {instances.data && instances.data.items.length === 0 && <Text c="dimmed">{t('monitor.noInstances')}</Text>}
      {instances.data && instances.data.items.length > 0 && (
        <FigureTable
          testId="instance-table"
          minWidth={760}
          headers={[t('monitor.receiveOrInstance'), t('monitor.subject'), t('monitor.organisation'), t('monitor.status'), t('monitor.started'), t('monitor.incidents')]}
          items={instances.data.items}
          rowKey={(i) => i.id}
          rowData={(i) => ({ 'data-instance-id': i.id })}
          cells={(i) => [
            // A registered letter is known by its เลขรับ; other processes by their number.
            <Anchor component={Link} to={`/monitor/instances/${i.id}`}>
              {i.document?.receiveNumber ?? i.id}
            </Anchor>,
            i.document ? (
              <Stack gap={0}>
                <span>{i.document.subject}</span>
                {i.document.letterNumber && <Text size="xs" c="dimmed">{i.document.letterNumber}</Text>}
              </Stack>
            ) : (
              (i.businessKey ?? '—')
            ),
            i.organisationName,
            <StatusBadge ok={i.status === 'running'}>{t(`monitor.status.${i.status}` as MessageKey)}</StatusBadge>,
            `${date(i.startedAt, 'short')} ${date(i.startedAt, 'time')}`,
            i.openIncidents ? <Text c="red.9" fw={700} span>{i.openIncidents}</Text> : '—',
          ]}
        />
      )}
      {instances.data && instances.data.total > PAGE && <Pagination total={Math.ceil(instances.data.total / PAGE)} value={page} onChange={(p) => set({ page: p === 1 ? '' : String(p) })} />}
    </Stack>
  );
}
