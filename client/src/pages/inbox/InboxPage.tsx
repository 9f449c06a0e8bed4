// กล่องงาน: my tasks and those of my groups, units and positions, live. Filters and sort live in the
// address (?q=&urgency=&overdue=1&sort=), so a filtered inbox can be bookmarked; /inbox/:taskId
// opens the task panel over it.
import { useCallback } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Drawer, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { api, ApiError } from '../../lib/api';
import { useLiveEvents } from '../../lib/live';
import { useAuth } from '../../lib/auth';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { StatusBadge } from '../../components/StatusBadge';
import { Urgency } from './Urgency';
import { TaskPanel } from './TaskPanel';
import type { Task } from './types';

const SORTS = ['priority', 'due', 'created'] as const;

export function InboxPage() {
  const { t, date } = useI18n();
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { taskId } = useParams();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const urgency = params.get('urgency') ?? '';
  const overdue = params.get('overdue') === '1';
  const sort = SORTS.find((s) => s === params.get('sort')) ?? 'priority';
  const [query] = useDebouncedValue(q.trim(), 300);

  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  const search = new URLSearchParams({ sort, limit: '200' });
  if (query) search.set('q', query);
  if (urgency) search.set('urgency', urgency);
  if (overdue) search.set('overdue', 'true');
  const tasks = useQuery({
    queryKey: ['tasks', 'mine', search.toString()],
    queryFn: () => api.get<{ items: Task[]; total: number }>(`/tasks?${search}`),
    placeholderData: keepPreviousData,
  });

  const reload = useCallback(() => void queryClient.invalidateQueries({ queryKey: ['tasks'] }), [queryClient]);
  const live = useLiveEvents((event) => {
    if (event.type.startsWith('task.')) reload();
  }, reload);

  const claim = useMutation({
    mutationFn: (id: number) => api.post<Task>(`/tasks/${id}/claim`),
    onSuccess: () => notifications.show({ color: 'green', message: t('inbox.claimed') }),
    onError: (e) => notifications.show({ color: 'red', message: e instanceof ApiError && e.status === 409 ? t('task.gone') : t('common.error') }),
    onSettled: reload,
  });

  const closePanel = () => navigate({ pathname: '/inbox', search: params.toString() });
  const holder = (task: Task) => (task.assigneeUserId == null ? t('inbox.unclaimed') : task.assigneeUserId === me?.user.id ? t('inbox.mine') : '—');

  return (
    <Stack>
      <Group justify="space-between" align="end">
        <Title order={2}>{t('inbox.title')}</Title>
        <Text size="sm" c={live ? 'green.9' : 'dimmed'} data-testid="live-status">
          {live ? `● ${t('inbox.live')}` : t('inbox.offline')}
        </Text>
      </Group>
      <Group align="end" wrap="wrap" gap="sm">
        <TextInput label={t('inbox.search')} value={q} onChange={(e) => setParam('q', e.currentTarget.value)} w={260} />
        <NativeSelect
          label={t('inbox.urgency')}
          value={urgency}
          onChange={(e) => setParam('urgency', e.currentTarget.value)}
          data={[{ value: '', label: t('inbox.urgencyAll') }, ...[1, 2, 3, 4].map((u) => ({ value: String(u), label: t(`urgency.${u}` as MessageKey) }))]}
        />
        <NativeSelect
          label={t('inbox.sort')}
          value={sort}
          onChange={(e) => setParam('sort', e.currentTarget.value === 'priority' ? '' : e.currentTarget.value)}
          data={SORTS.map((s) => ({ value: s, label: t(`inbox.sort.${s}` as MessageKey) }))}
        />
        <Checkbox label={t('inbox.overdueOnly')} checked={overdue} onChange={(e) => setParam('overdue', e.currentTarget.checked ? '1' : '')} mb={8} />
      </Group>
      {tasks.isError && <Alert color="red">{t('common.error')}</Alert>}
      {tasks.data && (
        <>
          <Text size="sm" c="dimmed">
            {t('inbox.total', { count: tasks.data.total })}
          </Text>
          {tasks.data.items.length === 0 ? (
            <Alert color="gray">{t('inbox.empty')}</Alert>
          ) : (
            <Table.ScrollContainer minWidth={720}>
              <Table striped highlightOnHover data-testid="inbox-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('inbox.urgency')}</Table.Th>
                    <Table.Th>{t('inbox.subject')}</Table.Th>
                    <Table.Th>{t('inbox.step')}</Table.Th>
                    <Table.Th>{t('inbox.received')}</Table.Th>
                    <Table.Th>{t('inbox.due')}</Table.Th>
                    <Table.Th>{t('inbox.holder')}</Table.Th>
                    <Table.Th>{t('common.actions')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {tasks.data.items.map((task) => (
                    <Table.Tr key={task.id} data-task-id={task.id} bg={task.overdue ? 'red.0' : undefined}>
                      <Table.Td>
                        <Urgency level={task.urgency} />
                      </Table.Td>
                      <Table.Td>
                        <Button variant="subtle" px={4} onClick={() => navigate({ pathname: `/inbox/${task.id}`, search: params.toString() })} style={{ whiteSpace: 'normal', height: 'auto', textAlign: 'left' }}>
                          {task.title ?? task.name}
                        </Button>
                      </Table.Td>
                      <Table.Td>{task.name}</Table.Td>
                      <Table.Td>{date(task.createdAt, 'shortDateTime')}</Table.Td>
                      <Table.Td>
                        <Stack gap={2}>
                          <span>{date(task.dueAt, 'shortDateTime')}</span>
                          {task.overdue && (
                            <Text component="span" size="sm" fw={700} c="red.8" data-testid="overdue">
                              {t('inbox.overdue')}
                            </Text>
                          )}
                        </Stack>
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge ok={task.assigneeUserId != null}>{holder(task)}</StatusBadge>
                      </Table.Td>
                      <Table.Td>
                        {task.assigneeUserId == null && (
                          <Button size="xs" variant="light" loading={claim.isPending && claim.variables === task.id} onClick={() => claim.mutate(task.id)}>
                            {t('inbox.claim')}
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </>
      )}
      <Drawer opened={taskId != null} onClose={closePanel} position="right" size="xl" title={t('task.panel')}>
        {taskId != null && <TaskPanel taskId={Number(taskId)} onDone={closePanel} />}
      </Drawer>
    </Stack>
  );
}
