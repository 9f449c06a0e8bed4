// The home page's "what waits for me": the first letters of my inbox in its default order (most
// urgent, nearest deadline, longest waiting), each one click from its task.
import { useQuery } from '@tanstack/react-query';
import { Anchor, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { api } from '../../lib/api';
import { useI18n } from '../../i18n';
import { Urgency } from './Urgency';
import { ActingFor } from './ActingAs';
import type { Task } from './types';

export function WaitingForMe() {
  const { t, date } = useI18n();
  const tasks = useQuery({ queryKey: ['tasks', 'home'], queryFn: () => api.get<{ items: Task[]; total: number }>('/tasks?limit=5') });
  const done = useQuery({ queryKey: ['tasks', 'done', 'count'], queryFn: () => api.get<{ total: number }>('/tasks/done?limit=1'), select: (d) => d.total });
  if (!tasks.data) return null;
  const { items, total } = tasks.data;
  return (
    <Paper withBorder p="md" data-testid="waiting-for-me">
      <Stack gap="xs">
        <Title order={3} size="h4">
          {t('home.waiting', { n: total })}
        </Title>
        {items.length === 0 && <Text c="dimmed">{t('home.nothingWaits')}</Text>}
        {items.map((task) => (
          <Group key={task.id} gap="sm" wrap="wrap" align="baseline">
            <Urgency level={task.urgency} by={task.urgentBy} />
            <Anchor component={Link} to={`/inbox/${task.id}`}>
              {task.title ?? task.name}
            </Anchor>
            <ActingFor positionId={task.actingForPositionId} />
            <Text size="sm" c={task.overdue ? 'red.9' : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>
              {task.name} · {t('inbox.due')} {date(task.dueAt, 'shortDateTime')}
            </Text>
          </Group>
        ))}
        <Group gap="lg">
          {total > items.length && (
            <Anchor component={Link} to="/inbox">
              {t('home.allWaiting', { n: total })}
            </Anchor>
          )}
          <Anchor component={Link} to="/inbox?tab=done">
            {t('home.done')} ({done.data ?? 0})
          </Anchor>
        </Group>
      </Stack>
    </Paper>
  );
}
