// My tasks: assigned to me, or waiting for a group, unit or position of mine.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Text } from '@mantine/core';
import { api } from '../../lib/api';
import { useI18n } from '../../i18n';
import { TaskTable } from './TaskTable';
import { useClaim } from './useClaim';
import type { TaskPage } from './types';

export function MyInbox({ search, onOpen, reload }: { search: URLSearchParams; onOpen: (id: number) => void; reload: () => void }) {
  const { t } = useI18n();
  const tasks = useQuery({ queryKey: ['tasks', 'mine', search.toString()], queryFn: () => api.get<TaskPage>(`/tasks?${search}`), placeholderData: keepPreviousData });
  const { claim, claiming } = useClaim(reload);
  if (tasks.isError) return <Alert color="red">{t('common.error')}</Alert>;
  if (!tasks.data) return null;
  return (
    <>
      <Text size="sm" c="dimmed">
        {t('inbox.total', { count: tasks.data.total })}
      </Text>
      {tasks.data.items.length === 0 ? (
        <Alert color="gray">{t('inbox.empty')}</Alert>
      ) : (
        <TaskTable tasks={tasks.data.items} onOpen={onOpen} onClaim={claim} claiming={claiming} testId="inbox-table" />
      )}
    </>
  );
}
