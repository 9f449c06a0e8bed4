// กล่องงาน: my tasks, a tab with the unclaimed tasks of a group, unit or position of mine (both
// live), and เรื่องที่ดำเนินการแล้ว (what I completed). Filters and sort live in the address (?tab=group&scope=group:3&q=&urgency=&overdue=1&sort=),
// so a filtered inbox can be bookmarked or saved by name; /inbox/:taskId is the task's own page (TaskPage).
import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { useAddressState } from '../../lib/addressState';
import { useQueryClient } from '@tanstack/react-query';
import { Checkbox, Group, NativeSelect, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useLiveEvents } from '../../lib/live';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { MyInbox } from './MyInbox';
import { GroupInbox } from './GroupInbox';
import { SavedFilters } from './SavedFilters';
import { DoneFolder } from './DoneFolder';
import { SORTS, type InboxFilters } from './types';

export function InboxPage() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params, set] = useAddressState();
  const tab = params.get('tab') === 'group' ? 'group' : params.get('tab') === 'done' ? 'done' : 'mine';
  const q = params.get('q') ?? '';
  const urgency = params.get('urgency') ?? '';
  const overdue = params.get('overdue') === '1';
  const sort = SORTS.find((s) => s === params.get('sort')) ?? 'urgency';
  const scope = params.get('scope') ?? '';
  const [query] = useDebouncedValue(q.trim(), 300);

  const setParam = (name: string, value: string) => set({ [name]: value });
  const applyFilters = (f: InboxFilters) => set({
    tab: f.tab === 'group' ? 'group' : '', q: f.q ?? '', urgency: f.urgency ? String(f.urgency) : '', overdue: f.overdue ? '1' : '',
    sort: f.sort && f.sort !== 'urgency' ? f.sort : '', scope: f.scope ?? '',
  });
  const current: InboxFilters = {
    tab: tab === 'group' ? 'group' : 'mine', ...(q.trim() ? { q: q.trim() } : {}), ...(urgency ? { urgency: Number(urgency) } : {}), ...(overdue ? { overdue: true } : {}),
    ...(sort !== 'urgency' ? { sort } : {}), ...(tab === 'group' && scope ? { scope } : {}),
  };

  // What the server filters and sorts on, shared by both tabs.
  const search = new URLSearchParams({ sort, limit: '200' });
  if (query) search.set('q', query);
  if (urgency) search.set('urgency', urgency);
  if (overdue) search.set('overdue', 'true');

  const reload = useCallback(() => void queryClient.invalidateQueries({ queryKey: ['tasks'] }), [queryClient]);
  const live = useLiveEvents((event) => {
    if (event.type.startsWith('task.')) reload();
  }, reload);

  const openTask = (id: number) => navigate({ pathname: `/inbox/${id}`, search: params.toString() });

  return (
    <Stack>
      <Group justify="space-between" align="end">
        <Title order={2}>{t('inbox.title')}</Title>
        <Text size="sm" c={live ? '#1b5e20' : 'dimmed'} data-testid="live-status">
          {live ? `● ${t('inbox.live')}` : t('inbox.offline')}
        </Text>
      </Group>
      <Tabs value={tab} onChange={(v) => setParam('tab', v === 'group' || v === 'done' ? v : '')} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="mine">{t('inbox.tab.mine')}</Tabs.Tab>
          <Tabs.Tab value="group">{t('inbox.tab.group')}</Tabs.Tab>
          <Tabs.Tab value="done">{t('inbox.tab.done')}</Tabs.Tab>
        </Tabs.List>
      </Tabs>
      {tab === 'done' ? (
        <DoneFolder onOpen={openTask} />
      ) : (
        <>
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
          onChange={(e) => setParam('sort', e.currentTarget.value === 'urgency' ? '' : e.currentTarget.value)}
          data={SORTS.map((s) => ({ value: s, label: t(`inbox.sort.${s}` as MessageKey) }))}
        />
        <Checkbox label={t('inbox.overdueOnly')} checked={overdue} onChange={(e) => setParam('overdue', e.currentTarget.checked ? '1' : '')} mb={8} />
      </Group>
      <SavedFilters current={current} onPick={applyFilters} />
      {tab === 'mine' ? (
        <MyInbox search={search} onOpen={openTask} reload={reload} />
      ) : (
        <GroupInbox search={search} scope={scope} onScope={(s) => setParam('scope', s)} onOpen={openTask} reload={reload} />
      )}
        </>
      )}
    </Stack>
  );
}
