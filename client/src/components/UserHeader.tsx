// Who I am, my position, the capacity I act in (a menu when I may act for another position, each
// position written out whole), the language switch and sign-out.
import { Badge, Button, Group, Menu, Stack, Text } from '@mantine/core';
import { useNavigate } from 'react-router';
import { useI18n, type Translate } from '../i18n';
import { useAuth } from '../lib/auth';
import type { Capacity, Me } from '../lib/types';

export function capacityLabel(c: Capacity, me: Me, t: Translate, locale: string): string {
  if (c.capacity === 'self') {
    const title = (locale === 'en' && me.position?.titleEn) || me.position?.titleTh || c.positionTitleTh || '';
    return `${title} (${t('capacity.self')})`;
  }
  return `${t(`capacity.${c.capacity}`)} ${c.positionTitleTh ?? `#${c.positionId}`}`;
}

export function UserHeader() {
  const { t, locale, setLocale } = useI18n();
  const { me, capacity, setCapacity, logout } = useAuth();
  const navigate = useNavigate();
  if (!me) return null;
  const name = locale === 'en' && me.user.nameEn ? me.user.nameEn : me.user.displayName;
  const positionTitle = (locale === 'en' && me.position?.titleEn) || me.position?.titleTh || t('common.none');
  const acting = capacity && capacity.capacity !== 'self';

  return (
    <Group gap="sm" wrap="nowrap" justify="flex-end" style={{ minWidth: 0 }}>
      <Stack gap={0} style={{ minWidth: 0, flexShrink: 1 }} data-testid="who-am-i">
        <Text fw={600} size="sm" truncate="end">
          {name}
        </Text>
        <Text size="xs" c="dimmed" truncate="end">
          {positionTitle}
          <Text span inherit visibleFrom="lg">
            {' · '}
            {locale === 'en' && me.organisation.nameEn ? me.organisation.nameEn : me.organisation.nameTh}
          </Text>
        </Text>
      </Stack>
      {me.capacities.length > 1 ? (
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button
              size="xs"
              variant={acting ? 'filled' : 'default'}
              color={acting ? 'orange.9' : undefined}
              aria-label={t('header.capacityNow', { label: capacity ? capacityLabel(capacity, me, t, locale) : '' })}
              data-testid="capacity-switch"
              styles={{ root: { height: 'auto', minHeight: 30, maxWidth: 'min(320px, 40vw)' }, label: { whiteSpace: 'normal', textAlign: 'left', lineHeight: 1.3, paddingBlock: 2 } }}
            >
              <Text span inherit visibleFrom="sm">
                {capacity ? capacityLabel(capacity, me, t, locale) : ''}
              </Text>
              <Text span inherit hiddenFrom="sm">
                {t(acting ? `capacity.${capacity.capacity}` : 'header.capacity')}
              </Text>
            </Button>
          </Menu.Target>
          <Menu.Dropdown miw={280} maw="min(480px, 94vw)">
            <Menu.Label>{t('header.capacity')}</Menu.Label>
            {me.capacities.map((c) => (
              <Menu.Item
                key={c.positionId}
                fw={c.positionId === capacity?.positionId ? 700 : undefined}
                style={{ whiteSpace: 'normal' }}
                onClick={() => setCapacity(c.positionId)}
              >
                {c.positionId === capacity?.positionId ? '✓ ' : ''}
                {capacityLabel(c, me, t, locale)}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      ) : capacity ? (
        <Badge variant="light" tt="none" visibleFrom="sm" data-testid="capacity">
          {capacityLabel(capacity, me, t, locale)}
        </Badge>
      ) : null}
      <Button
        variant="subtle"
        size="xs"
        onClick={() => setLocale(locale === 'th' ? 'en' : 'th')}
        lang={locale === 'th' ? 'en' : 'th'}
        aria-label={`${t('lang.label')}: ${t('lang.switchTo')}`}
        data-testid="language-switch"
      >
        {t('lang.switchTo')}
      </Button>
      <Button
        variant="light"
        size="xs"
        px={{ base: 6, sm: 'sm' }}
        onClick={async () => {
          // Home first: the sign-in page sends whoever signs in next back to where the session ended,
          // and after a sign-out that is not their page (an admin page, another person's task).
          navigate('/', { replace: true });
          await logout();
        }}
      >
        {t('logout')}
      </Button>
    </Group>
  );
}
