// An address the web app has no page for: say so plainly (with the address), and offer the way home.
import { Alert, Anchor, Stack, Title } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { useI18n } from '../i18n';

export function NotFoundPage() {
  const { t } = useI18n();
  const { pathname } = useLocation();
  return (
    <Stack maw={700}>
      <Title order={2}>{t('notFound.title')}</Title>
      <Alert color="gray" data-status="404">
        {t('notFound.body', { path: pathname })}
      </Alert>
      <Anchor component={Link} to="/">
        {t('notFound.home')}
      </Anchor>
    </Stack>
  );
}
