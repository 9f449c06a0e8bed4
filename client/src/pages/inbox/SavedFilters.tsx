// Saved filters: name the current filter and sort set, pick it again later, on any device (kept
// per person on the server: /me/saved-filters).
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Group, NativeSelect, Popover, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api, ApiError, fieldErrors } from '../../lib/api';
import { useI18n } from '../../i18n';
import type { InboxFilters, SavedFilter } from './types';

export function SavedFilters({ current, onPick }: { current: InboxFilters; onPick: (filters: InboxFilters) => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState('');
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const saved = useQuery({ queryKey: ['saved-filters'], queryFn: () => api.get<{ items: SavedFilter[] }>('/me/saved-filters') });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['saved-filters'] });
  const save = useMutation({
    mutationFn: () => api.post<SavedFilter>('/me/saved-filters', { name: name.trim(), filters: current }),
    onSuccess: (f) => {
      notifications.show({ color: 'green', message: t('inbox.filterSaved', { name: f.name }) });
      setNaming(false);
      setName('');
      setPicked(String(f.id));
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/me/saved-filters/${id}`),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('inbox.filterDeleted') });
      setPicked('');
      refresh();
    },
  });
  const items = saved.data?.items ?? [];
  const nameError = save.error instanceof ApiError ? (save.error.status === 409 ? t('inbox.filterExists') : (fieldErrors(save.error).name ?? t('common.error'))) : undefined;

  return (
    <Group align="end" gap="sm" data-testid="saved-filters">
      <NativeSelect
        label={t('inbox.savedFilters')}
        value={picked}
        onChange={(e) => {
          const id = e.currentTarget.value;
          setPicked(id);
          const f = items.find((x) => String(x.id) === id);
          if (f) onPick(f.filters);
        }}
        data={[{ value: '', label: t('inbox.savedFilterPick') }, ...items.map((f) => ({ value: String(f.id), label: f.name }))]}
        miw={220}
      />
      {picked && (
        <Button variant="subtle" color="red" loading={remove.isPending} onClick={() => remove.mutate(picked)}>
          {t('inbox.deleteFilter')}
        </Button>
      )}
      <Popover opened={naming} onChange={setNaming} position="bottom-start" withArrow trapFocus>
        <Popover.Target>
          <Button variant="light" onClick={() => setNaming((o) => !o)}>
            {t('inbox.saveFilter')}
          </Button>
        </Popover.Target>
        <Popover.Dropdown>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (name.trim()) save.mutate();
            }}
          >
            <Stack gap="xs">
              <TextInput label={t('inbox.filterName')} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={100} error={nameError} data-autofocus />
              <Button type="submit" loading={save.isPending} disabled={!name.trim()}>
                {t('common.save')}
              </Button>
            </Stack>
          </form>
        </Popover.Dropdown>
      </Popover>
    </Group>
  );
}
