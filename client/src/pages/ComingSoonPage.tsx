// The place of a page whose server side is still being built (inbox, registry, monitor).
import { Alert, Stack, Title } from '@mantine/core';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';

export function ComingSoonPage({ titleKey }: { titleKey: MessageKey }) {
  const { t } = useI18n();
  return (
    <Stack maw={700}>
      <Title order={2}>{t(titleKey)}</Title>
      <Alert title={t('soon.title')}>{t('soon.body')}</Alert>
    </Stack>
  );
}
