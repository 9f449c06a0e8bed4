// One instance for the monitor (/monitor/instances/:id): its version's diagram with the path taken
// and the current steps highlighted, open tasks, history (B.E. dates, `10.35 น.`), and incidents,
// which an administrator of the organisation can retry; the administrator may also cancel a running
// instance, with a reason. Re-read live when the instance changes.
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Anchor, Button, Group, List, Modal, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { ApiError } from '../../lib/api';
import { useLiveEvents } from '../../lib/live';
import { useI18n } from '../../i18n';
import { th, type MessageKey } from '../../i18n/messages';
import { StatusBadge } from '../../components/StatusBadge';
import { monitorApi } from './monitorApi';
import { ProcessDiagram } from './ProcessDiagram';
import { FigureTable } from './FigureTable';

export function InstancePage() {
  const { t, date } = useI18n();
  const id = Number(useParams().id);
  const queryClient = useQueryClient();
  const detail = useQuery({ queryKey: ['monitor', 'instance', id], queryFn: () => monitorApi.instance(id), retry: false, enabled: id > 0 });
  const reload = useDebouncedCallback(() => void queryClient.invalidateQueries({ queryKey: ['monitor', 'instance', id] }), 300);
  useLiveEvents((event) => {
    if (Number(event.summary?.instanceId) === id) reload();
  }, reload);
  const retry = useMutation({
    mutationFn: (incidentId: number) => monitorApi.retry(incidentId),
    onSuccess: () => notifications.show({ color: 'green', message: t('monitor.retried') }),
    onError: (e) => notifications.show({ color: 'red', message: e instanceof ApiError ? e.message : t('common.error') }),
    onSettled: reload,
  });

  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const cancel = useMutation({
    mutationFn: () => monitorApi.cancel(id, reason.trim()),
    onSuccess: () => {
      setCancelling(false);
      notifications.show({ color: 'green', message: t('monitor.cancelDone') });
    },
    onSettled: reload,
  });

  const data = detail.data;
  const markers = useMemo(() => {
    const out: Record<string, string[]> = {};
    for (const p of data?.path ?? []) out[p.elementId] = ['saraban-done'];
    for (const a of data?.activeElementIds ?? []) out[a] = ['saraban-active'];
    for (const i of data?.incidents ?? []) if (i.status === 'open' && i.elementId) out[i.elementId] = ['saraban-active', 'saraban-incident'];
    return out;
  }, [data]);
  const eventName = (event: string) => (`monitor.event.${event}` in th ? t(`monitor.event.${event}` as MessageKey) : event);
  const when = (at: string) => `${date(at, 'short')} ${date(at, 'time')}`;

  if (detail.error instanceof ApiError) {
    return (
      <Alert color="red" title={detail.error.status === 403 ? t('common.forbidden') : detail.error.status === 404 ? t('common.notFound') : t('common.error')} maw={700}>
        {detail.error.status === 403 ? t('monitor.forbidden') : detail.error.message}
      </Alert>
    );
  }
  if (!data) return null;
  const { instance } = data;

  return (
    <Stack>
      <Anchor component={Link} to={`/monitor?key=${encodeURIComponent(instance.processKey)}`} size="sm">
        ← {t('monitor.back')}
      </Anchor>
      <Group justify="space-between" align="end">
        <Title order={2}>{data.document?.receiveNumber ? t('monitor.receiveTitle', { number: data.document.receiveNumber }) : t('monitor.instanceTitle', { id: instance.id })}</Title>
        <Group gap="sm">
          {instance.status === 'running' && data.canRetry && (
            <Button size="xs" color="red" variant="light" onClick={() => setCancelling(true)}>
              {t('monitor.cancel')}
            </Button>
          )}
          <StatusBadge ok={instance.status === 'running'}>{t(`monitor.status.${instance.status}` as MessageKey)}</StatusBadge>
        </Group>
      </Group>
      <Modal opened={cancelling} onClose={() => setCancelling(false)} title={t('monitor.cancel')}>
        <Stack>
          <Text size="sm">{t('monitor.cancelHint')}</Text>
          <Textarea label={t('monitor.cancelReason')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={cancel.error instanceof ApiError ? cancel.error.details[0]?.message ?? cancel.error.message : undefined} />
          <Button color="red" loading={cancel.isPending} disabled={reason.trim().length < 3} onClick={() => cancel.mutate()}>
            {t('monitor.cancelConfirm')}
          </Button>
        </Stack>
      </Modal>
      <Text>
        {data.definition.name ?? data.definition.key} · {t('monitor.versionN', { version: data.definition.version })} · {instance.organisationName}
      </Text>
      {data.document && (
        <Text>
          {t('monitor.document')}: {data.document.subject} {data.document.letterNumber && `(${data.document.letterNumber})`}
        </Text>
      )}
      <Text size="sm" c="dimmed">
        {t('monitor.started')} {when(instance.startedAt)}
        {instance.endedAt && ` · ${t('monitor.ended')} ${when(instance.endedAt)}`}
      </Text>
      <ProcessDiagram xml={data.xml} markers={markers} />
      <Group gap="md" aria-hidden>
        <Text size="xs"><span className="saraban-heat-legend" style={{ background: '#ebfbee', borderColor: '#2f9e44' }} /> {t('monitor.legendDone')}</Text>
        <Text size="xs"><span className="saraban-heat-legend" style={{ background: '#d0ebff', borderColor: '#1971c2' }} /> {t('monitor.legendActive')}</Text>
      </Group>

      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <Stack gap="xs">
          <Title order={3}>{t('monitor.path')}</Title>
          <List type="ordered" data-testid="instance-path">
            {data.path.filter((p) => p.name).map((p, i) => (
              <List.Item key={`${p.elementId}-${i}`}>
                {p.name} <Text span size="xs" c="dimmed">{when(p.at)}</Text>
              </List.Item>
            ))}
          </List>
          <Title order={3}>{t('monitor.openTasks')}</Title>
          {data.openTasks.length === 0 ? (
            <Text c="dimmed">—</Text>
          ) : (
            <FigureTable
              testId="instance-open-tasks"
              headers={[t('monitor.activity'), t('monitor.holder'), t('monitor.started'), t('monitor.due')]}
              items={data.openTasks}
              rowKey={(task) => task.id}
              cells={(task) => [
                task.name,
                task.holder ?? '—',
                when(task.createdAt),
                <>
                  {task.dueAt ? when(task.dueAt) : '—'}
                  {task.overdue && <Text span c="red.9" fw={700}> {t('monitor.overdue')}</Text>}
                </>,
              ]}
            />
          )}
        </Stack>
        <Stack gap="xs">
          <Title order={3}>{t('monitor.incidents')}</Title>
          {data.incidents.length === 0 && <Text c="dimmed">{t('monitor.noIncidents')}</Text>}
          {data.incidents.map((incident) => (
            <Alert key={incident.id} color={incident.status === 'open' ? 'red' : 'gray'} title={`${incident.elementId ?? ''} · ${incident.status === 'open' ? t('monitor.incidentOpen') : t('monitor.incidentResolved')}`} data-testid="incident">
              <Stack gap={4}>
                <Text size="sm">{incident.message}</Text>
                <Text size="xs" c="dimmed">{when(incident.createdAt)}</Text>
                {incident.status === 'open' && data.canRetry && (
                  <Button size="xs" w="fit-content" loading={retry.isPending && retry.variables === incident.id} onClick={() => retry.mutate(incident.id)}>
                    {t('monitor.retry')}
                  </Button>
                )}
              </Stack>
            </Alert>
          ))}
        </Stack>
      </SimpleGrid>

      <Title order={3}>{t('monitor.history')}</Title>
      <FigureTable
        testId="instance-history"
        minWidth={640}
        headers={[t('monitor.when'), t('monitor.event'), t('monitor.activity'), t('monitor.by')]}
        items={data.history.filter((h) => !h.event.startsWith('activity.'))}
        rowKey={(h) => h.id}
        cells={(h) => [when(h.at), eventName(h.event), h.elementName ?? h.elementId ?? '—', h.userName ?? '—']}
      />
    </Stack>
  );
}
