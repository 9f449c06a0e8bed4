// The inbox table both tabs show: urgency in red, subject (opens the task), step, received, due
// (overdue in red), who holds it, and a claim button; the group tab adds a selection column.
import { Button, Checkbox, Stack, Table, Text } from '@mantine/core';
import { useAuth } from '../../lib/auth';
import { useI18n } from '../../i18n';
import { StatusBadge } from '../../components/StatusBadge';
import { Urgency } from './Urgency';
import type { Task } from './types';

export interface Selection {
  ids: Set<number>;
  toggle: (id: number, on: boolean) => void;
  setAll: (on: boolean) => void;
}

export function TaskTable({ tasks, onOpen, onClaim, claiming, selection, testId }: {
  tasks: Task[]; onOpen: (id: number) => void; onClaim: (id: number) => void; claiming: number | null; selection?: Selection; testId: string;
}) {
  const { t, date } = useI18n();
  const { me } = useAuth();
  const holder = (task: Task) => (task.assigneeUserId == null ? t('inbox.unclaimed') : task.assigneeUserId === me?.user.id ? t('inbox.mine') : '—');
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
            <Table.Th>{t('inbox.due')}</Table.Th>
            <Table.Th>{t('inbox.holder')}</Table.Th>
            <Table.Th>{t('common.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tasks.map((task) => (
            <Table.Tr key={task.id} data-task-id={task.id} bg={task.overdue ? 'red.0' : undefined}>
              {selection && (
                <Table.Td>
                  <Checkbox aria-label={t('inbox.select', { subject: task.title ?? task.name })} checked={selection.ids.has(task.id)} onChange={(e) => selection.toggle(task.id, e.currentTarget.checked)} />
                </Table.Td>
              )}
              <Table.Td>
                <Urgency level={task.urgency} />
              </Table.Td>
              <Table.Td>
                <Button variant="subtle" px={4} onClick={() => onOpen(task.id)} style={{ whiteSpace: 'normal', height: 'auto', textAlign: 'left' }}>
                  {task.title ?? task.name}
                </Button>
              </Table.Td>
              <Table.Td>{task.name}</Table.Td>
              <Table.Td>{date(task.createdAt, 'shortDateTime')}</Table.Td>
              <Table.Td>
                <Stack gap={2}>
                  <span>{date(task.dueAt, 'shortDateTime')}</span>
                  {task.overdue && (
                    <Text component="span" size="sm" fw={700} c="red.9" data-testid="overdue">
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
                  <Button size="xs" variant="light" loading={claiming === task.id} onClick={() => onClaim(task.id)}>
                    {t('inbox.claim')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
