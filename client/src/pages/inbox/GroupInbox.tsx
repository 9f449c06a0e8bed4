// Unclaimed tasks of one group, unit or position of mine (GET /tasks/group), live like my inbox.
// Several can be claimed at once (POST /tasks/claim); the answer says per task whether it is now
// mine or someone else took it meanwhile.
import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Group, List, NativeSelect, Text } from '@mantine/core';
import { api } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import type { Group as OrgGroup, List as ListOf } from '../../lib/types';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { TaskTable } from './TaskTable';
import { useClaim } from './useClaim';
import type { ClaimResult, TaskPage } from './types';

function useScopes() {
  const { t, locale } = useI18n();
  const { me } = useAuth();
  const groups = useQuery({
    queryKey: ['org-groups', me?.organisation.id],
    queryFn: () => api.get<ListOf<OrgGroup>>(`/organisations/${me!.organisation.id}/groups`),
    enabled: me != null,
    staleTime: 300_000,
  });
  if (!me || groups.isLoading) return []; // choose a default only once every option is known
  const mine = (groups.data?.items ?? []).filter((g) => me.user.groupIds?.includes(g.id));
  return [
    ...mine.map((g) => ({ value: `group:${g.id}`, label: t('inbox.scope.group', { name: locale === 'en' && g.nameEn ? g.nameEn : g.nameTh }) })),
    ...(me.unit ? [{ value: `unit:${me.unit.id}`, label: t('inbox.scope.unit', { name: locale === 'en' && me.unit.nameEn ? me.unit.nameEn : me.unit.nameTh }) }] : []),
    ...me.capacities.map((c) => ({ value: `position:${c.positionId}`, label: t('inbox.scope.position', { name: c.positionTitleTh ?? `#${c.positionId}` }) })),
  ];
}

export function GroupInbox({ search, scope, onScope, onOpen, reload }: {
  search: URLSearchParams; scope: string; onScope: (scope: string) => void; onOpen: (id: number) => void; reload: () => void;
}) {
  const { t } = useI18n();
  const scopes = useScopes();
  const chosen = scopes.find((s) => s.value === scope) ?? scopes[0];
  const [kind, id] = (chosen?.value ?? ':').split(':');
  // Selected tasks stay selected when a live update removes them (someone else claimed one):
  // the claim then reports it as taken rather than silently dropping it. Subjects are kept for
  // that report.
  const [selected, setSelected] = useState<Map<number, string>>(new Map());
  const [selectedScope, setSelectedScope] = useState(chosen?.value);
  if (selectedScope !== chosen?.value) {
    setSelectedScope(chosen?.value);
    setSelected(new Map());
  }
  const [results, setResults] = useState<Array<ClaimResult & { subject: string }> | null>(null);
  const query = new URLSearchParams(search);
  query.set('kind', kind);
  query.set('id', id);
  const tasks = useQuery({
    queryKey: ['tasks', 'group', query.toString()],
    queryFn: () => api.get<TaskPage>(`/tasks/group?${query}`),
    enabled: chosen != null,
    placeholderData: keepPreviousData,
  });
  const { claim, claiming } = useClaim(reload);
  const items = tasks.data?.items ?? [];

  const bulk = useMutation({
    mutationFn: (ids: number[]) => api.post<{ results: ClaimResult[] }>('/tasks/claim', { ids }),
    onSuccess: ({ results }) => {
      setResults(results.map((r) => ({ ...r, subject: selected.get(r.id) ?? `#${r.id}` })));
      setSelected(new Map());
    },
    onSettled: reload,
  });

  return (
    <>
      <Group align="end" gap="sm">
        <NativeSelect label={t('inbox.groupScope')} value={chosen?.value ?? ''} onChange={(e) => onScope(e.currentTarget.value)} data={scopes} miw={280} />
        <Button disabled={selected.size === 0} loading={bulk.isPending} onClick={() => bulk.mutate([...selected.keys()])}>
          {t('inbox.bulkClaim', { count: selected.size })}
        </Button>
      </Group>
      {bulk.isError && <Alert color="red">{t('common.error')}</Alert>}
      {results && (
        <Alert color={results.every((r) => r.outcome === 'claimed') ? 'green' : 'yellow'} title={t('inbox.bulkResult')} withCloseButton onClose={() => setResults(null)} data-testid="bulk-result">
          <List size="sm">
            {results.map((r) => (
              <List.Item key={r.id} data-outcome={r.outcome}>
                {r.subject}: <Text span fw={700} c={r.outcome === 'claimed' ? '#1b5e20' : 'red.9'}>{t(`inbox.outcome.${r.outcome}` as MessageKey)}</Text>
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {tasks.isError && <Alert color="red">{t('common.error')}</Alert>}
      {tasks.data && (
        <>
          <Text size="sm" c="dimmed">
            {t('inbox.total', { count: tasks.data.total })}
          </Text>
          {items.length === 0 ? (
            <Alert color="gray">{t('inbox.groupEmpty')}</Alert>
          ) : (
            <TaskTable
              tasks={items} onOpen={onOpen} onClaim={claim} claiming={claiming} testId="group-table"
              selection={{
                ids: new Set(selected.keys()),
                toggle: (taskId, on) =>
                  setSelected((old) => {
                    const next = new Map(old);
                    const task = items.find((x) => x.id === taskId);
                    if (on && task) next.set(taskId, task.title ?? task.name);
                    else next.delete(taskId);
                    return next;
                  }),
                setAll: (on) => setSelected(on ? new Map(items.map((x) => [x.id, x.title ?? x.name])) : new Map()),
              }}
            />
          )}
        </>
      )}
    </>
  );
}
