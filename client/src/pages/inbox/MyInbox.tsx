// My tasks: assigned to me, or waiting for a group, unit or position of mine. When I choose in the
// header to act for another position, the list narrows to what reached me in that capacity, and
// says so.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Group, Text } from '@mantine/core';
import { api } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { useI18n } from '../../i18n';
import { TaskTable } from './TaskTable';
import { useActingLabel } from './ActingAs';
import { useClaim } from './useClaim';
import type { TaskPage } from './types';

export function MyInbox({ search, onOpen, reload }: { search: URLSearchParams; onOpen: (id: number) => void; reload: () => void }) {
  const { t } = useI18n();
  const { me, capacity, setCapacity } = useAuth();
  const acting = useActingLabel()(capacity?.positionId);
  const params = new URLSearchParams(search);
  if (acting && capacity) params.set('actingFor', String(capacity.positionId));
  const tasks = useQuery({ queryKey: ['tasks', 'mine', params.toString()], queryFn: () => api.get<TaskPage>(`/tasks?${params}`), placeholderData: keepPreviousData });
  const { claim, claiming } = useClaim(reload);
  if (tasks.isError) return <Alert color="red">{t('common.error')}</Alert>;
  if (!tasks.data) return null;
  const own = me?.capacities.find((c) => c.capacity === 'self');
  return (
    <>
      {acting ? (
        <Alert color="orange" variant="light" data-testid="acting-filter">
          <Group justify="space-between" gap="xs">
            <Text size="sm" fw={600}>
              {t('inbox.actingFilter', { ...acting, count: tasks.data.total })}
            </Text>
            {own && (
              <Button size="xs" variant="white" onClick={() => setCapacity(own.positionId)}>
                {t('inbox.showAll')}
              </Button>
            )}
          </Group>
        </Alert>
      ) : (
        <Text size="sm" c="dimmed">
          {t('inbox.total', { count: tasks.data.total })}
        </Text>
      )}
      {tasks.data.items.length === 0 ? (
        <Alert color="gray">{t('inbox.empty')}</Alert>
      ) : (
        <TaskTable tasks={tasks.data.items} onOpen={onOpen} onClaim={claim} claiming={claiming} testId="inbox-table" />
      )}
    </>
  );
}
