// The citizens' channel on the monitor: how many requests came in the period, how many wait for an
// answer, how long answers took and how long the open ones have waited (median and 90th
// percentile), and the requests waiting longest, oldest first. No personal data: the server's
// /citizens/monitor gives counts, times and receive numbers only. Shown to managers and registry
// clerks; for anyone else the server says 403 and nothing is shown.
import { useQuery } from '@tanstack/react-query';
import { Anchor, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { api } from '../../lib/api';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { FigureTable } from './FigureTable';
import { formatDuration } from './format';

interface CitizenMonitor {
  counts: { received: number; registered: number; rejected: number; answered: number; total: number };
  waitingForAnswer: number;
  hoursToAnswer: { median: number | null; p90: number | null; answered: number };
  hoursWaiting: { median: number | null; p90: number | null; open: number };
  oldestOpen: Array<{ id: number; status: string; submittedAt: string; hoursWaiting: number; receiveNumber: string | null; documentId: number | null }>;
}

const DAYS = 30;
const ms = (hours: number | null) => (hours == null ? null : hours * 3_600_000);

export function CitizensFigures() {
  const { t, date } = useI18n();
  const q = useQuery({ queryKey: ['monitor', 'citizens', DAYS], queryFn: () => api.get<CitizenMonitor>(`/citizens/monitor?days=${DAYS}`), retry: false });
  if (!q.data) return null;
  const f = q.data;
  const pair = (a: number | null, b: number | null) => `${formatDuration(ms(a), t)} / ${formatDuration(ms(b), t)}`;
  const figure = (label: string, value: string | number, testId: string) => (
    <Paper withBorder p="sm">
      <Text size="sm" c="dimmed">{label}</Text>
      <Text fw={700} fz="lg" data-testid={testId}>{value}</Text>
    </Paper>
  );
  return (
    <Stack gap="xs" data-testid="citizens-figures">
      <Group gap="xs" align="baseline">
        <Title order={3}>{t('citizen.figures.title')}</Title>
        <Text size="sm" c="dimmed">{t('citizen.figures.period', { days: DAYS })}</Text>
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
        {figure(t('citizen.figures.total'), f.counts.total, 'citizens-total')}
        {figure(t('citizen.figures.waiting'), f.hoursWaiting.open, 'citizens-waiting')}
        {figure(t('citizen.figures.toAnswer'), pair(f.hoursToAnswer.median, f.hoursToAnswer.p90), 'citizens-to-answer')}
        {figure(t('citizen.figures.waited'), pair(f.hoursWaiting.median, f.hoursWaiting.p90), 'citizens-waited')}
      </SimpleGrid>
      <Text fw={600}>{t('citizen.figures.oldest')}</Text>
      {f.oldestOpen.length === 0 ? (
        <Text c="dimmed">{t('citizen.figures.none')}</Text>
      ) : (
        <FigureTable
          testId="citizens-oldest"
          headers={[t('citizen.figures.submitted'), t('citizen.figures.status'), t('citizen.figures.receiveNumber'), t('monitor.oldest')]}
          items={f.oldestOpen}
          rowKey={(r) => r.id}
          cells={(r) => [
            date(r.submittedAt, 'short'),
            t(`citizen.status.${r.status}` as MessageKey),
            r.documentId && r.receiveNumber ? <Anchor component={Link} to={`/documents/${r.documentId}`}>{r.receiveNumber}</Anchor> : '—',
            formatDuration(ms(r.hoursWaiting), t),
          ]}
        />
      )}
    </Stack>
  );
}
