// The frame of every signed-in page: header (who I am, position, capacity, language, sign-out)
// and the navigation, which folds into a drawer on a phone.
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router';
import { usePageFocus } from './usePageFocus';
import { AppShell, Badge, Burger, Group, NavLink, ScrollArea, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect } from 'react';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { useAuth } from '../lib/auth';
import { UserHeader } from './UserHeader';
import { ArrivalsCount } from '../pages/deliveries/ArrivalsCount';
import { InboxCount } from '../pages/inbox/InboxCount';
import { useIsClerk, useIsCustodian } from '../pages/registry/common';

interface NavItem {
  to: string;
  label: MessageKey;
  soon?: boolean;
  show?: 'admin' | 'designer' | 'watcher' | 'registrar';
  /** A live count beside the label. */
  count?: 'arrivals' | 'inbox';
}
interface NavSection {
  label: MessageKey;
  items: NavItem[];
}

const NAV: NavSection[] = [
  { label: 'nav.work', items: [{ to: '/', label: 'nav.home' }, { to: '/inbox', label: 'nav.inbox', count: 'inbox' }, { to: '/registry', label: 'nav.registry' }, { to: '/arrivals', label: 'nav.arrivals', show: 'registrar', count: 'arrivals' }, { to: '/deliveries/outgoing', label: 'nav.outgoing', show: 'registrar' }, { to: '/monitor', label: 'nav.monitor', show: 'watcher' }] },
  { label: 'nav.design', items: [{ to: '/modeler', label: 'nav.modeler', show: 'designer' }] },
  {
    label: 'nav.admin',
    items: [
      { to: '/admin/organisation', label: 'nav.organisation', show: 'admin' },
      { to: '/admin/units', label: 'nav.units', show: 'admin' },
      { to: '/admin/positions', label: 'nav.positions', show: 'admin' },
      { to: '/admin/users', label: 'nav.users', show: 'admin' },
      { to: '/admin/groups', label: 'nav.groups', show: 'admin' },
      { to: '/admin/delegations', label: 'nav.delegations', show: 'admin' },
      { to: '/admin/exchange', label: 'nav.exchange', show: 'admin' },
    ],
  },
];

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const { t } = useI18n();
  const { isAdmin, isDesigner, isWatcher } = useAuth();
  const location = useLocation();
  usePageFocus();
  // Registry clerks receive letters; the secrets custodian receives the secret ones.
  const clerk = useIsClerk();
  const custodian = useIsCustodian();
  const registrar = clerk || custodian;
  useEffect(close, [location.pathname, close]);

  const visible = (item: NavItem) => !item.show || { admin: isAdmin, designer: isDesigner, watcher: isWatcher, registrar }[item.show];

  return (
    <AppShell header={{ height: { base: 64, sm: 72 } }} navbar={{ width: 260, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <AppShell.Header>
        <Group h="100%" px={{ base: "xs", sm: "md" }} justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('header.menu')} />
            <Title order={1} size="h4" visibleFrom="md">
              {t('app.short')}
            </Title>
          </Group>
          <UserHeader />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('header.menu')}>
        <ScrollArea>
          <nav>
            {NAV.map((section) => {
              const items = section.items.filter(visible);
              if (!items.length) return null;
              return (
                <div key={section.label}>
                  <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4}>
                    {t(section.label)}
                  </Text>
                  {items.map((item) => (
                    <NavLink
                      key={item.to}
                      component={RouterLink}
                      to={item.to}
                      end={item.to === '/'}
                      label={t(item.label)}
                      active={item.to === '/' ? location.pathname === '/' : location.pathname.startsWith(item.to)}
                      rightSection={item.soon ? <Badge size="xs" variant="light" color="gray">{t('nav.soon')}</Badge> : item.count === 'arrivals' ? <ArrivalsCount /> : item.count === 'inbox' ? <InboxCount /> : null}
                    />
                  ))}
                </div>
              );
            })}
          </nav>
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
