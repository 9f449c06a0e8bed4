// Passing a task on: claim it, delegate it to a colleague (I stay its owner), or — for a
// supervisor of its holder — reassign it. Buttons show only what the server says I may do
// (`may` of GET /tasks/:id); the server checks again.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Group, Modal, NativeSelect, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api, ApiError } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import type { List, User } from '../../lib/types';
import { useI18n } from '../../i18n';
import type { TaskDetail } from './types';

type Action = 'delegate' | 'reassign';

function UserPicker({ action, task, onClose }: { action: Action; task: TaskDetail; onClose: () => void }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const [userId, setUserId] = useState('');
  const users = useQuery({ queryKey: ['org-users', me?.organisation.id], queryFn: () => api.get<List<User>>(`/organisations/${me!.organisation.id}/users`), enabled: me != null, staleTime: 60_000 });
  const choices = (users.data?.items ?? []).filter((u) => u.active && u.id !== me?.user.id && u.id !== task.assigneeUserId);
  const send = useMutation({
    mutationFn: () => api.post(`/tasks/${task.id}/${action}`, { userId: Number(userId) }),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t(action === 'delegate' ? 'task.delegated' : 'task.reassigned') });
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
      onClose();
    },
  });
  const title = t(action === 'delegate' ? 'task.delegate' : 'task.reassign');
  return (
    <Modal opened onClose={onClose} title={title}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (userId) send.mutate();
        }}
      >
        <Stack>
          <NativeSelect
            label={t('task.pickUser')} value={userId} onChange={(e) => setUserId(e.currentTarget.value)} withAsterisk
            data={[{ value: '', label: t('validation.choose') }, ...choices.map((u) => ({ value: String(u.id), label: u.displayName }))]}
          />
          {send.isError && <Alert color="red">{send.error instanceof ApiError && [403, 409].includes(send.error.status) ? t('task.gone') : send.error.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={send.isPending} disabled={!userId}>
              {title}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function AssignActions({ task }: { task: TaskDetail }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<Action | null>(null);
  const claim = useMutation({
    mutationFn: () => api.post(`/tasks/${task.id}/claim`),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['tasks'] }),
  });
  if (!task.may.claim && !task.may.delegate && !task.may.reassign) return null;
  return (
    <Group gap="xs" data-testid="task-assign">
      {task.may.claim && (
        <Button size="xs" variant="light" loading={claim.isPending} onClick={() => claim.mutate()}>
          {t('task.claim')}
        </Button>
      )}
      {task.may.delegate && (
        <Button size="xs" variant="light" onClick={() => setOpen('delegate')}>
          {t('task.delegate')}
        </Button>
      )}
      {task.may.reassign && (
        <Button size="xs" variant="light" color="orange" onClick={() => setOpen('reassign')}>
          {t('task.reassign')}
        </Button>
      )}
      {claim.isError && <Alert color="red">{t('task.gone')}</Alert>}
      {open && <UserPicker action={open} task={task} onClose={() => setOpen(null)} />}
    </Group>
  );
}
