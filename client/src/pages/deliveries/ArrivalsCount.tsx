// The navigation's count of letters waiting in the arrivals tray; it also keeps the tab's delivery
// views live (see useDeliveriesLive).
import { Badge } from '@mantine/core';
import { useI18n } from '../../i18n';
import { useArrivals, useDeliveriesLive } from './queries';

export function ArrivalsCount() {
  const { t } = useI18n();
  useDeliveriesLive();
  const arrivals = useArrivals();
  const n = arrivals.data?.length ?? 0;
  if (!n) return null;
  return (
    <Badge size="sm" color="red" variant="filled" aria-label={t('nav.arrivalsCount', { n })} data-count={n}>
      {n}
    </Badge>
  );
}
