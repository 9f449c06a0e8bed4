// The frame of the public pages: a plain header with the language switch, one main landmark, room
// for a phone screen. No account, no cookie: the language choice stays in this browser only.
import type { ReactNode } from 'react';
import { Anchor, Box, Button, Container, Group, Text, Title } from '@mantine/core';
import { usePublicText } from './text';

export function PublicLayout({ heading, sub, children }: { heading: string; sub?: string | null; children: ReactNode }) {
  const { t, p, locale, setLocale } = usePublicText();
  return (
    <Box bg="gray.0" mih="100vh">
      <Box component="header" bg="white" c="dark.9" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-4)' }}>
        <Container size={720} px="md">
          <Group justify="space-between" wrap="nowrap">
            <Text fw={600} size="sm">{t('app.name')}</Text>
            <Button variant="default" size="compact-sm" onClick={() => setLocale(locale === 'th' ? 'en' : 'th')} lang={locale === 'th' ? 'en' : 'th'}>
              {t('lang.switchTo')}
            </Button>
          </Group>
        </Container>
      </Box>
      <Container component="main" size={720} px="md" py="lg">
        <Title order={1} size="h2">{heading}</Title>
        {sub && <Text c="dark.6" mt={4}>{sub}</Text>}
        <Box mt="md">{children}</Box>
        <Text component="footer" size="sm" c="dark.6" mt="xl">
          {p('public.law')} · <Anchor href="/public/track" c="blue.9" underline="always">{p('public.track.title')}</Anchor>
        </Text>
      </Container>
    </Box>
  );
}
