// Durations the Thai way: `2 ชม. 15 นาที`, `3 วัน 4 ชม.`, `15 นาที` (English: `2 h 15 min`).
import type { Translate } from '../../i18n';

export function formatDuration(ms: number | null | undefined, t: Translate): string {
  if (ms == null) return '—';
  if (ms < 60_000) return t('duration.lessThanMinute');
  const days = Math.floor(ms / 86_400_000);
  const hours = Math.floor((ms % 86_400_000) / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const parts = days ? [t('duration.days', { n: days }), hours ? t('duration.hours', { n: hours }) : ''] : hours ? [t('duration.hours', { n: hours }), minutes ? t('duration.minutes', { n: minutes }) : ''] : [t('duration.minutes', { n: minutes })];
  return parts.filter(Boolean).join(' ');
}
