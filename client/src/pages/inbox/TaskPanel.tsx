// One task as the page it is (/inbox/:taskId): a heading that names the letter once (its urgency,
// secrecy and subject) with the step and its deadline, then two panes side by side on a desktop —
// the letter (its PDF first) on the left; the endorsements so far, the route and the decision on
// the right, the decision always in view without scrolling the page. On a phone the panes stack
// (letter, chain, decision) and a link at the top jumps to the decision. A task without a letter
// shows the process's route so far instead.
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Anchor, Group, List, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { api, ApiError } from '../../lib/api';
import { useI18n } from '../../i18n';
import { EndorsementChain, LetterRouteView } from '../../components/document/LetterChain';
import { useDocument } from '../../components/document/queries';
import { Urgency } from './Urgency';
import { AssignActions } from './AssignActions';
import { ActingAs } from './ActingAs';
import { DecisionForm, decisionFormId } from './DecisionForm';
import { TaskLetter } from './TaskLetter';
import type { HistoryItem, TaskDetail } from './types';

/** The page below the app's header, less the main area's padding: the two panes share it. */
const PAGE_HEIGHT = 'calc(100dvh - var(--app-shell-header-offset, 4.5rem) - 2 * var(--app-shell-padding, 1rem))';

function RouteSoFar({ instanceId }: { instanceId: number }) {
  const { t, date } = useI18n();
  const history = useQuery({ queryKey: ['history', instanceId], queryFn: () => api.get<{ items: HistoryItem[] }>(`/workflow/instances/${instanceId}/history`), retry: false });
  if (history.isError) return null; // not everyone who works a step may read the whole instance
  const done = (history.data?.items ?? []).filter((h) => h.event === 'task.completed');
  return (
    <Stack gap="xs" data-testid="task-route">
      <Title order={3} size="h5">
        {t('task.route')}
      </Title>
      {history.isLoading ? (
        <Loader size="sm" role="status" aria-label={t('common.loading')} />
      ) : done.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('task.routeEmpty')}
        </Text>
      ) : (
        <List size="sm" spacing={4}>
          {done.map((h) => {
            const vars = h.detail?.variables ?? {};
            const note = [vars.endorsement, vars.summary, vars.result].filter((x) => typeof x === 'string' && x).join(' — ');
            return (
              <List.Item key={h.id}>
                <Text span fw={600}>
                  {date(h.at, 'shortDateTime')}
                </Text>{' '}
                {h.name ?? h.elementId}
                {note && `: ${note}`}
              </List.Item>
            );
          })}
        </List>
      )}
    </Stack>
  );
}

/** ลับ / ลับมาก beside the subject, in red, when the letter is one (and readable by this worker). */
function SecrecyMark({ documentId }: { documentId: number }) {
  const doc = useDocument(documentId);
  if (!doc.data || doc.data.secrecy === 'normal') return null;
  return (
    <Text component="span" c="red.9" fw={700} fz="xl" data-testid="secrecy-mark">
      {doc.data.secrecyTh}
    </Text>
  );
}

/** The one place the letter's marks and subject are shown in a task. */
function TaskHeading({ detail, back }: { detail: TaskDetail; back?: ReactNode }) {
  const { t, date } = useI18n();
  return (
    <Stack gap={2} style={{ flex: '0 0 auto' }}>
      {back}
      <Group gap="sm" align="baseline" wrap="wrap">
        <Urgency level={detail.urgency} by={detail.urgentBy} size="xl" />
        {detail.documentId != null && <SecrecyMark documentId={detail.documentId} />}
        <Title order={2} size="h3">
          {detail.title ?? detail.name}
        </Title>
      </Group>
      <Text size="sm">
        {t('inbox.step')}: {detail.name} · {t('inbox.received')}: {date(detail.createdAt, 'shortDateTime')} · {t('inbox.due')}: {date(detail.dueAt, 'shortDateTime')}
        {detail.overdue && (
          <Text span c="red.9" fw={700}>
            {' '}
            {t('inbox.overdue')}
          </Text>
        )}
      </Text>
    </Stack>
  );
}

export function TaskPanel({ taskId, onDone, back }: { taskId: number; onDone: () => void; back?: ReactNode }) {
  const { t } = useI18n();
  const wide = useMediaQuery('(min-width: 62em)', true);
  const task = useQuery({ queryKey: ['tasks', 'detail', taskId], queryFn: () => api.get<TaskDetail>(`/tasks/${taskId}`), retry: false });

  if (task.isLoading) return <Loader role="status" aria-label={t('common.loading')} />;
  if (task.isError || !task.data) return <Alert color="red">{task.error instanceof ApiError && [403, 404].includes(task.error.status) ? t('task.gone') : t('common.error')}</Alert>;
  const detail = task.data;
  const heading = <TaskHeading detail={detail} back={back} />;
  const letter = detail.documentId != null ? <TaskLetter documentId={detail.documentId} pdfHeight={wide ? `calc(${PAGE_HEIGHT} - 9rem)` : '70vh'} /> : <Text c="dimmed">{t('task.noLetter')}</Text>;
  const review = (
    <Stack>
      <ActingAs task={detail} />
      <AssignActions task={detail} />
      {detail.documentId != null ? (
        <>
          <EndorsementChain documentId={detail.documentId} testId="letter-endorsements" />
          <LetterRouteView documentId={detail.documentId} />
        </>
      ) : (
        <RouteSoFar instanceId={detail.instanceId} />
      )}
    </Stack>
  );
  const decision = (
    <Paper withBorder p="sm" bg="gray.0">
      <DecisionForm detail={detail} onDone={onDone} />
    </Paper>
  );

  // One tree for both layouts, only its styles differ: turning a tablet (crossing the breakpoint)
  // keeps what was typed in the form. On a desktop each pane scrolls on its own (and from the
  // keyboard) and the decision stays at the foot of its pane; on a phone the page scrolls.
  const gap = 'var(--mantine-spacing-md)';
  return (
    <div data-testid="task-panel" style={wide ? { height: PAGE_HEIGHT, minHeight: '32rem', display: 'flex', flexDirection: 'column', gap: 'var(--mantine-spacing-sm)' } : { display: 'flex', flexDirection: 'column', gap }}>
      {heading}
      {!wide && (
        <Anchor href={`#${decisionFormId(detail.id)}`} size="sm" data-testid="to-decision">
          {t('task.toDecision')}
        </Anchor>
      )}
      <div style={wide ? { flex: '1 1 auto', minHeight: 0, display: 'grid', gridTemplateColumns: 'minmax(0, 1.25fr) minmax(22rem, 1fr)', gap } : { display: 'flex', flexDirection: 'column', gap }}>
        <section aria-label={t('task.letterPane')} data-testid="task-letter-pane" tabIndex={wide ? 0 : undefined} style={wide ? { overflowY: 'auto', minHeight: 0 } : undefined}>
          {letter}
        </section>
        <section aria-label={t('task.decisionPane')} data-testid="task-decision-pane" style={{ display: 'flex', flexDirection: 'column', gap, ...(wide ? { minHeight: 0 } : {}) }}>
          <div tabIndex={wide ? 0 : undefined} role="region" aria-label={t('doc.endorsements')} style={wide ? { flex: '1 1 8rem', overflowY: 'auto', minHeight: '6rem' } : undefined}>
            {review}
          </div>
          <div style={wide ? { flex: '0 1 auto', maxHeight: '75%', overflowY: 'auto' } : undefined}>{decision}</div>
        </section>
      </div>
    </div>
  );
}
