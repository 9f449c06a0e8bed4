// เรื่องที่ดำเนินการแล้ว: the tasks I completed, the latest first, a page at a time from the server,
// each opening read-only as it was left (with the capacity I completed it in).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Pagination, Text } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../lib/api';
import { useI18n } from '../../i18n';
import { TaskTable } from './TaskTable';
import type { TaskPage } from './types';

const PAGE = 20;

export function DoneFolder({ onOpen }: { onOpen: (id: number) => void }) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const tasks = useQuery({
    queryKey: ['tasks', 'done', page],
    queryFn: () => api.get<TaskPage>(`/tasks/done?limit=${PAGE}&offset=${(page - 1) * PAGE}`),
    placeholderData: keepPreviousData,
  });
  if (tasks.isError) return <Alert color="red">{t('common.error')}</Alert>;
  if (!tasks.data) return null;
  const pages = Math.ceil(tasks.data.total / PAGE);
  return (
    <>
      <Text size="sm" c="dimmed">
        {t('inbox.doneTotal', { count: tasks.data.total })}
      </Text>
      {tasks.data.items.length === 0 ? <Alert color="gray">{t('inbox.doneEmpty')}</Alert> : <TaskTable tasks={tasks.data.items} onOpen={onOpen} testId="done-table" done />}
      {pages > 1 && <Pagination total={pages} value={page} onChange={setPage} aria-label={t('inbox.pages')} />}
    </>
  );
}
