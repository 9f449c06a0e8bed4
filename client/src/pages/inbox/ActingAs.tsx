// Whose desk a task is on: when I work it for a position I act for (the director acting for the
// deputy), the task says so — "ในฐานะ ปฏิบัติราชการแทน รองปลัดกระทรวง…" — so the same letter
// coming back as the deputy's task is not a mystery, and the endorsement is signed in that capacity.
import { Alert } from '@mantine/core';
import { useAuth } from '../../lib/auth';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import type { TaskDetail } from './types';

export function ActingAs({ task }: { task: TaskDetail }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const { capacity, positionId } = task.actingAs;
  if (capacity === 'self' || positionId == null) return null;
  const title = me?.capacities.find((c) => c.positionId === positionId)?.positionTitleTh ?? '';
  return (
    <Alert color="indigo" variant="light" data-testid="acting-as">
      {t('capacity.actingNotice', { capacity: t(`capacity.${capacity}` as MessageKey), position: title })}
    </Alert>
  );
}
