// /inbox/:taskId — a task on the whole page (TaskPanel), with the way back to the inbox it was
// opened from (its filters and sort kept in the address). Once the task is done, the page says so
// and offers งานถัดไป: the next task waiting in that inbox, in the inbox's own order — or says
// nothing else waits.
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { Alert, Anchor, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useI18n } from '../../i18n';
import { TaskPanel } from './TaskPanel';
import { Urgency } from './Urgency';
import { nextAfter, useInboxList } from './nextTask';
import type { Task } from './types';

function TaskDone({ doneId, before, inbox, onOpen }: { doneId: number; before: Task[]; inbox: ReturnType<typeof useInboxList>; onOpen: (id: number) => void }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const nextButton = useRef<HTMLButtonElement>(null);
  // The list is read again after the completion: until it is, the answer could name a task just taken.
  const settled = !inbox.isFetching && inbox.data != null;
  const next = settled ? nextAfter(doneId, before, inbox.data!.items) : null;
  const remaining = settled ? inbox.data!.items.filter((x) => x.id !== doneId).length : 0;
  useEffect(() => {
    if (settled) (nextButton.current ?? heading.current)?.focus();
  }, [settled]);
  return (
    <Stack data-testid="task-done" maw={720}>
      <Title order={2} ref={heading} tabIndex={-1}>
        {t('task.doneTitle')}
      </Title>
      {!settled ? (
        <Loader size="sm" role="status" aria-label={t('common.loading')} />
      ) : next ? (
        <>
          <Text>{t('task.remaining', { n: remaining })}</Text>
          <Group gap="sm" align="center">
            <Button ref={nextButton} size="md" onClick={() => onOpen(next.id)} data-testid="next-task" h="auto" py={6} styles={{ label: { whiteSpace: 'normal', textAlign: 'left' } }}>
              {t('task.nextOf', { title: next.title ?? next.name })}
            </Button>
            <Urgency level={next.urgency} by={next.urgentBy} />
          </Group>
        </>
      ) : (
        <Alert color="gray" data-testid="none-left">
          {t('task.noneLeft')}
        </Alert>
      )}
    </Stack>
  );
}

export function TaskPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { taskId } = useParams();
  const [params] = useSearchParams();
  const id = Number(taskId);
  const inbox = useInboxList(params);
  const [done, setDone] = useState<{ id: number; before: Task[] } | null>(null);
  const back = (
    <Anchor component={Link} to={{ pathname: '/inbox', search: params.toString() }} size="sm" data-testid="back-to-inbox">
      ← {t('task.back')}
    </Anchor>
  );
  if (done?.id === id) {
    return (
      <Stack>
        {back}
        <TaskDone doneId={id} before={done.before} inbox={inbox} onOpen={(next) => navigate({ pathname: `/inbox/${next}`, search: params.toString() })} />
      </Stack>
    );
  }
  return <TaskPanel key={id} taskId={id} back={back} onDone={() => setDone({ id, before: inbox.data?.items ?? [] })} />;
}
