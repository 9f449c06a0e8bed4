// ทะเบียนหนังสือ: the registry clerk's work (register incoming letters, draft and number outgoing
// ones) and everyone's registers and search, as tabs with their own addresses.
import { Navigate, NavLink, Route, Routes, useParams } from 'react-router';
import { Group, Stack, UnstyledButton } from '@mantine/core';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { DocumentView } from '../../components/document/DocumentView';
import { IncomingPage } from './IncomingPage';
import { DraftPage, NewDraftPage } from './OutgoingPage';
import { RegistersPage } from './RegistersPage';
import { SearchPage } from './SearchPage';
import { useIsClerk } from './common';

const TABS: Array<{ to: string; label: MessageKey; clerk?: boolean }> = [
  { to: 'incoming', label: 'registry.tab.incoming', clerk: true },
  { to: 'outgoing', label: 'registry.tab.outgoing' },
  { to: 'registers', label: 'registry.tab.registers' },
  { to: 'search', label: 'registry.tab.search' },
];

export function RegistryPage() {
  const { t } = useI18n();
  const clerk = useIsClerk();
  const tabs = TABS.filter((tab) => !tab.clerk || clerk);
  return (
    <Stack>
      <nav aria-label={t('nav.registry')} className="no-print">
        <Group gap="xs" wrap="wrap">
          {tabs.map((tab) => (
            <UnstyledButton
              key={tab.to}
              component={NavLink}
              to={`/registry/${tab.to}`}
              px="md"
              py={6}
              style={({ isActive }: { isActive: boolean }) => ({ borderRadius: 6, fontWeight: 600, background: isActive ? 'var(--mantine-color-blue-1)' : 'var(--mantine-color-gray-1)' })}
            >
              {t(tab.label)}
            </UnstyledButton>
          ))}
        </Group>
      </nav>
      <Routes>
        <Route index element={<Navigate to={clerk ? 'incoming' : 'search'} replace />} />
        <Route path="incoming" element={clerk ? <IncomingPage /> : <Navigate to="/registry/search" replace />} />
        <Route path="outgoing" element={<NewDraftPage />} />
        <Route path="outgoing/:id" element={<DraftPage />} />
        <Route path="registers" element={<RegistersPage />} />
        <Route path="search" element={<SearchPage />} />
      </Routes>
    </Stack>
  );
}

/** /documents/:id — one letter, for anyone who may read it. */
export function DocumentPage() {
  const { id } = useParams();
  return <DocumentView key={id} documentId={Number(id)} />;
}
