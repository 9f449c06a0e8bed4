// The inbox list both tabs show: urgency in red (ด่วนภายใน with its deadline), subject (opens the
// task) with ในฐานะ … when it reached me through a position I act for, step, received, due (overdue
// in red), who holds it, and a claim button; the group tab adds a selection column. On a phone each
// task is a card, so step, due date and claim stay in view instead of off the side of a table.
import { Button, Checkbox, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useAuth } from '../../lib/auth';
import { useI18n } from '../../i18n';
import { StatusBadge } from '../../components/StatusBadge';
import { Urgency } from './Urgency';
import { ActingFor } from './ActingAs';
import type { Task } from './types';

export interface Selection {
  ids: Set<number>;
  toggle: (id: number, on: boolean) => void;
  setAll: (on: boolean) => void;
}

interface Props {
  tasks: Task[]; onOpen: (id: number) => void; onClaim?: (id: number) => void; claiming?: number | null; selection?: Selection; testId: string;
  /** The done folder: when each was completed instead of due, holder and claim. */
  done?: boolean;
}

export function TaskTable(props: Props) {
  const phone = useMediaQuery('(max-width: 48em)');
  return phone ? <TaskCards {...props} /> : <TaskRows {...props} />;
}

function useCells({ onOpen, onClaim, claiming, selection }: Props) {
  const { t, date } = useI18n();
  const { me } = useAuth();
  const holder = (task: Task) => (task.assigneeUserId == null ? t('inbox.unclaimed') : task.assigneeUserId === me?.user.id ? t('inbox.mine') : '—');
  return {
    select: (task: Task) =>
      selection && <Checkbox aria-label={t('inbox.select', { subject: task.title ?? task.name })} checked={selection.ids.has(task.id)} onChange={(e) => selection.toggle(task.id, e.currentTarget.checked)} />,
    urgency: (task: Task) => <Urgency level={task.urgency} by={task.urgentBy} />,
    subject: (task: Task) => (
      <Stack gap={0} align="flex-start">
        <Button variant="subtle" px={4} onClick={() => onOpen(task.id)} style={{ whiteSpace: 'normal', height: 'auto', textAlign: 'left' }}>
          {task.title ?? task.name}
        </Button>
        <ActingFor positionId={task.actingForPositionId} />
      </Stack>
    ),
    due: (task: Task) => (
      <Stack gap={2}>
        <span>{date(task.dueAt, 'shortDateTime')}</span>
        {task.overdue && (
          <Text component="span" size="sm" fw={700} c="red.9" data-testid="overdue">
            {t('inbox.overdue')}
          </Text>
        )}
      </Stack>
    ),
    holder: (task: Task) => <StatusBadge ok={task.assigneeUserId != null}>{holder(task)}</StatusBadge>,
    claim: (task: Task) =>
      task.assigneeUserId == null && task.status === 'open' && onClaim && (
        <Button size="xs" variant="light" loading={claiming === task.id} onClick={() => onClaim(task.id)}>
          {t('inbox.claim')}
        </Button>
      ),
  };
}

function TaskRows(props: Props) {
  const { tasks, selection, testId, done } = props;
  const { t, date } = useI18n();
  const cell = useCells(props);
  const allSelected = selection != null && tasks.length > 0 && tasks.every((task) => selection.ids.has(task.id));
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped highlightOnHover data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {selection && (
              <Table.Th w={40}>
                <Checkbox aria-label={t('inbox.selectAll')} checked={allSelected} onChange={(e) => selection.setAll(e.currentTarget.checked)} />
              </Table.Th>
            )}
            <Table.Th>{t('inbox.urgency')}</Table.Th>
            <Table.Th>{t('inbox.subject')}</Table.Th>
            <Table.Th>{t('inbox.step')}</Table.Th>
            <Table.Th>{t('inbox.received')}</Table.Th>
            {done ? (
              <Table.Th>{t('inbox.doneAt')}</Table.Th>
            ) : (
              <>
                <Table.Th>{t('inbox.due')}</Table.Th>
                <Table.Th>{t('inbox.holder')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tasks.map((task) => (
            <Table.Tr key={task.id} data-task-id={task.id} bg={task.overdue ? 'red.0' : undefined}>
              {selection && <Table.Td>{cell.select(task)}</Table.Td>}
              <Table.Td>{cell.urgency(task)}</Table.Td>
              <Table.Td>{cell.subject(task)}</Table.Td>
              <Table.Td>{task.name}</Table.Td>
              <Table.Td>{date(task.createdAt, 'shortDateTime')}</Table.Td>
              {done ? (
                <Table.Td>{date(task.completedAt, 'shortDateTime')}</Table.Td>
              ) : (
                <>
                  <Table.Td>{cell.due(task)}</Table.Td>
                  <Table.Td>{cell.holder(task)}</Table.Td>
                  <Table.Td>{cell.claim(task)}</Table.Td>
                </>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function TaskCards(props: Props) {
  const { tasks, selection, testId, done } = props;
  const { t, date } = useI18n();
  const cell = useCells(props);
  const allSelected = selection != null && tasks.length > 0 && tasks.every((task) => selection.ids.has(task.id));
  return (
    <Stack gap="xs" data-testid={testId} role="list">
      {selection && <Checkbox label={t('inbox.selectAll')} checked={allSelected} onChange={(e) => selection.setAll(e.currentTarget.checked)} />}
      {tasks.map((task) => (
        <Paper key={task.id} withBorder p="xs" role="listitem" data-task-id={task.id} bg={task.overdue ? 'red.0' : undefined}>
          <Stack gap={4}>
            <Group gap="xs" wrap="nowrap" align="flex-start">
              {cell.select(task)}
              {cell.urgency(task)}
            </Group>
            {cell.subject(task)}
            <Text size="sm">
              {t('inbox.step')}: {task.name}
            </Text>
            {done ? (
              <Text size="sm">
                {t('inbox.doneAt')}: {date(task.completedAt, 'shortDateTime')}
              </Text>
            ) : (
              <Group justify="space-between" align="flex-end" wrap="nowrap">
                <Stack gap={0}>
                  <Text size="sm" component="div">
                    {t('inbox.due')}: {cell.due(task)}
                  </Text>
                  {cell.holder(task)}
                </Stack>
                {cell.claim(task)}
              </Group>
            )}
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}
