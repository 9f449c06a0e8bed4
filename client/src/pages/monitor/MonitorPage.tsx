// ติดตามงาน: the live monitor for managers. A process's diagram carries open and overdue counts on
// each step, coloured by how long the work has waited; tables show the slowest steps, who holds
// the most overdue work, and the instances. Counts are re-read when the server says the process
// changed (Socket.io `monitor.changed` and task events, debounced): no polling.
import { useMemo } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Group, NativeSelect, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { ApiError } from '../../lib/api';
import { useLiveEvents } from '../../lib/live';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { monitorApi, WINDOWS, type ActivityLoad, type Window } from './monitorApi';
import { ProcessDiagram, type Badge } from './ProcessDiagram';
import { InstanceList } from './InstanceList';
import { FigureTable } from './FigureTable';
import { CitizensFigures } from './CitizensFigures';
import { useAddressState } from '../../lib/addressState';
import { formatDuration } from './format';

/** Heat levels by the average waiting time of a step's open work: under 1 hour, 4 hours, 1 day, 3 days, and longer. */
const HEAT_LIMITS = [3_600_000, 4 * 3_600_000, 86_400_000, 3 * 86_400_000];
const HEAT_COLOURS = ['#d3f9d8', '#ffec99', '#ffc078', '#ff8787', '#fa5252'];

function heatOf(load: ActivityLoad | undefined): Record<string, number> {
  const open = (load?.items ?? []).filter((i) => i.open > 0);
  return Object.fromEntries(open.map((i) => [i.elementId, 1 + HEAT_LIMITS.filter((limit) => (i.averageWaitingMs ?? 0) >= limit).length]));
}

export function MonitorPage() {
  const { t, date } = useI18n();
  const queryClient = useQueryClient();
  const [params, set] = useAddressState();
  const processes = useQuery({ queryKey: ['monitor', 'processes'], queryFn: monitorApi.processes, retry: false });
  const items = processes.data?.items ?? [];
  const key = params.get('key') ?? (items.find((p) => p.key === 'incoming_letter') ?? items[0])?.key;
  const process = items.find((p) => p.key === key);
  const organisationId = Number(params.get('org')) || undefined;
  const definitionId = Number(params.get('version')) || undefined;
  const window: Window = WINDOWS.find((w) => w === params.get('window')) ?? 'day';
  const scope = useMemo(() => ({ organisationId, definitionId }), [organisationId, definitionId]);

  const enabled = !!key;
  const activities = useQuery({ queryKey: ['monitor', 'activities', key, scope], queryFn: () => monitorApi.activities(key!, scope), enabled, placeholderData: keepPreviousData });
  const drawn = activities.data?.definition.id;
  const xml = useQuery({ queryKey: ['monitor-xml', drawn], queryFn: () => monitorApi.xml(drawn!), enabled: !!drawn, staleTime: Infinity });
  const slowest = useQuery({ queryKey: ['monitor', 'slowest', key, scope, window], queryFn: () => monitorApi.slowest(key!, scope, window), enabled, placeholderData: keepPreviousData });
  const overdue = useQuery({ queryKey: ['monitor', 'overdue', key, scope], queryFn: () => monitorApi.overdue(key!, scope), enabled, placeholderData: keepPreviousData });

  // Several events arrive together (a completed task, the next task, monitor.changed): one re-read.
  const reload = useDebouncedCallback(() => void queryClient.invalidateQueries({ queryKey: ['monitor'] }), 300);
  const live = useLiveEvents((event) => {
    if (key && event.processKeys?.includes(key)) reload();
  }, reload);

  const heat = useMemo(() => heatOf(activities.data), [activities.data]);
  const markers = useMemo(() => Object.fromEntries(Object.entries(heat).map(([id, level]) => [id, [`saraban-heat-${level}`]])), [heat]);
  const badges = useMemo(
    () =>
      Object.fromEntries(
        (activities.data?.items ?? []).filter((i) => i.inDiagram).map((i): [string, Badge] => [i.elementId, { open: i.open, overdue: i.overdue, label: t('monitor.badge', { name: i.name, open: i.open, overdue: i.overdue }) }]),
      ),
    [activities.data, t],
  );

  if (processes.error instanceof ApiError && processes.error.status === 403) {
    return (
      <Alert color="red" title={t('common.forbidden')} maw={700}>
        {t('monitor.forbidden')}
      </Alert>
    );
  }

  return (
    <Stack>
      <Group justify="space-between" align="end">
        <Title order={2}>{t('monitor.title')}</Title>
        <Text size="sm" c={live ? '#1b5e20' : 'dimmed'} data-testid="live-status">
          {live ? `● ${t('inbox.live')}` : t('inbox.offline')}
        </Text>
      </Group>
      {processes.isError && !(processes.error instanceof ApiError && processes.error.status === 403) && <Alert color="red">{t('common.error')}</Alert>}
      {processes.data && !items.length && <Alert color="gray">{t('monitor.noProcesses')}</Alert>}
      {processes.data && process && (
        <Group align="end" gap="sm" wrap="wrap">
          <NativeSelect label={t('monitor.process')} value={key} onChange={(e) => set({ key: e.currentTarget.value, version: '', q: '', status: '', page: '' })} data={items.map((p) => ({ value: p.key, label: p.name ?? p.key }))} />
          <NativeSelect
            label={t('monitor.version')}
            value={definitionId ? String(definitionId) : ''}
            onChange={(e) => set({ version: e.currentTarget.value })}
            data={[{ value: '', label: t('monitor.allVersions') }, ...process.versions.map((v) => ({ value: String(v.definitionId), label: `${t('monitor.versionN', { version: v.version })}${processes.data.organisations.length > 1 ? ` — ${processes.data.organisations.find((o) => o.id === v.organisationId)?.nameTh ?? ''}` : ''}` }))]}
          />
          {processes.data.organisations.length > 1 && (
            <NativeSelect
              label={t('monitor.organisation')}
              value={organisationId ? String(organisationId) : ''}
              onChange={(e) => set({ org: e.currentTarget.value, page: '' })}
              data={[{ value: '', label: t('monitor.allOrganisations') }, ...processes.data.organisations.map((o) => ({ value: String(o.id), label: o.nameTh }))]}
            />
          )}
        </Group>
      )}
      {activities.data && (
        <Group gap="lg">
          <Text fw={600} data-testid="monitor-totals">
            {t('monitor.totals', activities.data.totals)}
          </Text>
          <Text size="sm" c="dimmed">
            {t('monitor.updatedAt', { time: date(activities.data.at, 'time') })}
          </Text>
        </Group>
      )}
      {xml.data && <ProcessDiagram xml={xml.data} markers={markers} badges={badges} />}
      {xml.data && (
        <Group gap={6} aria-hidden>
          <Text size="xs" c="dimmed">
            {t('monitor.heat')}:
          </Text>
          {HEAT_COLOURS.map((colour, i) => (
            <Text key={colour} size="xs" c="dimmed">
              <span className="saraban-heat-legend" style={{ background: colour }} /> {i === 0 ? `< ${formatDuration(HEAT_LIMITS[0], t)}` : i < HEAT_COLOURS.length - 1 ? `${formatDuration(HEAT_LIMITS[i - 1], t)} – ${formatDuration(HEAT_LIMITS[i], t)}` : `> ${formatDuration(HEAT_LIMITS[i - 1], t)}`}
            </Text>
          ))}
        </Group>
      )}

      {activities.data && (
        <Stack gap="xs">
          <Title order={3}>{t('monitor.activities')}</Title>
          <FigureTable
            testId="activity-table"
            minWidth={560}
            headers={[t('monitor.activity'), t('monitor.open'), t('monitor.overdue'), t('monitor.oldest'), t('monitor.average')]}
            items={activities.data.items}
            rowKey={(a) => a.elementId}
            rowData={(a) => ({ 'data-element-id': a.elementId })}
            cells={(a) => [a.name, a.open, a.overdue ? <Text span c="red.9" fw={700}>{a.overdue}</Text> : 0, formatDuration(a.oldestWaitingMs, t), formatDuration(a.averageWaitingMs, t)]}
          />
        </Stack>
      )}

      {key && (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
          <Stack gap="xs">
            <Group justify="space-between" align="end">
              <Title order={3}>{t('monitor.slowest')}</Title>
              <SegmentedControl
                aria-label={t('monitor.window')}
                value={window}
                onChange={(w) => set({ window: w === 'day' ? '' : w })}
                data={WINDOWS.map((w) => ({ value: w, label: t(`monitor.window.${w}` as MessageKey) }))}
              />
            </Group>
            {slowest.data && slowest.data.items.length === 0 && <Text c="dimmed">{t('monitor.noCompleted')}</Text>}
            {slowest.data && slowest.data.items.length > 0 && (
              <FigureTable
                testId="slowest-table"
                headers={[t('monitor.activity'), t('monitor.completed'), t('monitor.average'), t('monitor.p90')]}
                items={slowest.data.items}
                rowKey={(a) => a.elementId}
                cells={(a) => [a.name, a.completed, formatDuration(a.averageMs, t), formatDuration(a.p90Ms, t)]}
              />
            )}
          </Stack>
          <Stack gap="xs">
            <Title order={3}>{t('monitor.overdueHolders')}</Title>
            {overdue.data && !overdue.data.people.length && !overdue.data.units.length && <Text c="dimmed">{t('monitor.noOverdue')}</Text>}
            {overdue.data && overdue.data.people.length > 0 && (
              <FigureTable
                testId="overdue-people"
                headers={[t('monitor.people'), t('monitor.overdue'), t('monitor.longestOverdue')]}
                items={overdue.data.people}
                rowKey={(p) => p.userId}
                cells={(p) => [
                  <>
                    {p.name}
                    {p.unitName && <Text size="xs" c="dimmed">{p.unitName}</Text>}
                  </>,
                  p.overdue,
                  formatDuration(p.longestOverdueMs, t),
                ]}
              />
            )}
            {overdue.data && overdue.data.units.length > 0 && (
              <FigureTable
                testId="overdue-units"
                headers={[t('monitor.units'), t('monitor.overdue'), t('monitor.longestOverdue')]}
                items={overdue.data.units}
                rowKey={(u) => u.unitId}
                cells={(u) => [u.name, u.overdue, formatDuration(u.longestOverdueMs, t)]}
              />
            )}
          </Stack>
        </SimpleGrid>
      )}

      {key && <InstanceList processKey={key} organisationId={organisationId} />}
      <CitizensFigures />
    </Stack>
  );
}
