// Whose desk a task is on: when I work it for a position I act for (the director acting for the
// deputy), the task says so — "ในฐานะ ปฏิบัติราชการแทน รองปลัดกระทรวง…" — in the inbox list and on
// the task, so the same letter coming back as the deputy's task is not a mystery, and the
// endorsement is signed in that capacity.
import { Alert, Text } from '@mantine/core';
import { useAuth } from '../../lib/auth';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import type { TaskDetail } from './types';

/** "ปฏิบัติราชการแทน รองปลัดกระทรวงสาธารณสุข" for a position I act for, or null for my own. */
export function useActingLabel(): (positionId: number | null | undefined) => { capacity: string; position: string } | null {
  const { t } = useI18n();
  const { me } = useAuth();
  return (positionId) => {
    const held = positionId == null ? undefined : me?.capacities.find((c) => c.positionId === positionId);
    if (!held || held.capacity === 'self') return null;
    return { capacity: t(`capacity.${held.capacity}` as MessageKey), position: held.positionTitleTh ?? '' };
  };
}

/** The line under a task's subject in a list: ในฐานะ … when it reached me through a position I act for. */
export function ActingFor({ positionId }: { positionId: number | null }) {
  const { t } = useI18n();
  const label = useActingLabel()(positionId);
  if (!label) return null;
  return (
    <Text size="sm" c="indigo.9" fw={600} data-acting-for={positionId}>
      {t('inbox.actingAs', label)}
    </Text>
  );
}

export function ActingAs({ task }: { task: TaskDetail }) {
  const { t } = useI18n();
  const label = useActingLabel()(task.actingAs.capacity === 'self' ? null : task.actingAs.positionId);
  if (!label) return null;
  return (
    <Alert color="indigo" variant="light" data-testid="acting-as">
      {t('capacity.actingNotice', label)}
    </Alert>
  );
}
