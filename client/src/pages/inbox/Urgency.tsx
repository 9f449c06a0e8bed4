// Urgency as the regulation on official correspondence shows it: ด่วน / ด่วนมาก / ด่วนที่สุด in
// red, large letters; a normal letter shows nothing.
import { Text } from '@mantine/core';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';

export function Urgency({ level, size = 'lg' }: { level: number; size?: 'lg' | 'xl' }) {
  const { t } = useI18n();
  if (level < 2) return null;
  return (
    <Text component="span" c="red.9" fw={700} fz={size} data-urgency={level} style={{ whiteSpace: 'nowrap' }}>
      {t(`urgency.${Math.min(level, 4)}` as MessageKey)}
    </Text>
  );
}
