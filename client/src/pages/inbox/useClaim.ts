// Claiming one task from either inbox tab; a task someone else took first says so.
import { useMutation } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { api, ApiError } from '../../lib/api';
import { useI18n } from '../../i18n';
import type { Task } from './types';

export function useClaim(reload: () => void) {
  const { t } = useI18n();
  const claim = useMutation({
    mutationFn: (id: number) => api.post<Task>(`/tasks/${id}/claim`),
    onSuccess: () => notifications.show({ color: 'green', message: t('inbox.claimed') }),
    onError: (e) => notifications.show({ color: 'red', message: e instanceof ApiError && e.status === 409 ? t('task.gone') : t('common.error') }),
    onSettled: reload,
  });
  return { claim: (id: number) => claim.mutate(id), claiming: claim.isPending ? (claim.variables ?? null) : null };
}
