import { Alert, Stack, Text, Title } from '@mantine/core';
import { useI18n } from '../i18n';
import { useAuth } from '../lib/auth';
import { capacityLabel } from '../components/UserHeader';
import { WaitingForMe } from './inbox/WaitingForMe';
import { UrgentSoundSwitch } from './inbox/InboxCount';

export function HomePage() {
  const { t, date, locale } = useI18n();
  const { me, capacity } = useAuth();
  if (!me) return null;
  const name = locale === 'en' && me.user.nameEn ? me.user.nameEn : me.user.displayName;
  return (
    <Stack maw={800}>
      <Title order={2}>{t('home.welcome', { name })}</Title>
      <Text>{t('home.today', { date: date(new Date(), 'long') })}</Text>
      {capacity && capacity.capacity !== 'self' && (
        <Alert color="orange" data-testid="acting-notice">
          {t('capacity.actingNotice', { capacity: t(`capacity.${capacity.capacity}`), position: capacity.positionTitleTh ?? '' })}
        </Alert>
      )}
      <WaitingForMe />
      <UrgentSoundSwitch />
      <Text c="dimmed">{t('home.intro')}</Text>
      {me.capacities.length > 1 && (
        <Text size="sm" c="dimmed">
          {t('header.capacity')}: {capacity ? capacityLabel(capacity, me, t, locale) : ''}
        </Text>
      )}
    </Stack>
  );
}
