// Urgency as the regulation on official correspondence shows it: ด่วน / ด่วนมาก / ด่วนที่สุด in
// red, large letters; a ด่วนภายใน letter shows its own deadline (ด่วนภายใน 14 ก.พ. 2569 10.00 น.);
// a normal letter shows nothing.
import { Text } from '@mantine/core';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';

export function Urgency({ level, by, size = 'lg' }: { level: number; by?: string | null; size?: 'lg' | 'xl' }) {
  const { t, date } = useI18n();
  if (!by && level < 2) return null;
  return (
    <Text component="span" c="red.9" fw={700} fz={size} data-urgency={by ? 'deadline' : level} style={{ whiteSpace: by ? 'normal' : 'nowrap' }}>
      {by ? t('urgency.deadline', { date: date(by, 'shortDateTime') }) : t(`urgency.${Math.min(level, 4)}` as MessageKey)}
    </Text>
  );
}
