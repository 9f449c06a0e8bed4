// ทะเบียนหนังสือ: the registry clerk's work (register incoming letters, draft and number outgoing
// ones) and everyone's registers and search, as tabs with their own addresses.
import { LetterActions } from './LetterActions';
import { Link, Navigate, Route, Routes, useLocation, useParams } from 'react-router';
import { Group, Stack, UnstyledButton } from '@mantine/core';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { DocumentView } from '../../components/document/DocumentView';
import { IncomingPage } from './IncomingPage';
import { DraftPage, NewDraftPage } from './OutgoingPage';
import { RegistersPage } from './RegistersPage';
import { SearchPage } from './SearchPage';
import { useIsClerk, useIsCustodian } from './common';
import { LetterDeliveries } from '../deliveries/LetterDeliveries';

const TABS: Array<{ to: string; label: MessageKey; registrar?: boolean }> = [
  { to: 'incoming', label: 'registry.tab.incoming', registrar: true },
  { to: 'outgoing', label: 'registry.tab.outgoing' },
  { to: 'registers', label: 'registry.tab.registers' },
  { to: 'search', label: 'registry.tab.search' },
];

export function RegistryPage() {
  const { t } = useI18n();
  const clerk = useIsClerk();
  // The custodian enters the secret letters received, so the custodian has the incoming tab too.
  const custodian = useIsCustodian();
  const registrar = clerk || custodian;
  const { pathname } = useLocation();
  const tabs = TABS.filter((tab) => !tab.registrar || registrar);
  return (
    <Stack>
      <nav aria-label={t('nav.registry')} className="no-print">
        <Group gap="xs" wrap="wrap">
          {tabs.map((tab) => {
            const active = pathname.startsWith(`/registry/${tab.to}`);
            return (
              <UnstyledButton
                key={tab.to}
                component={Link}
                to={`/registry/${tab.to}`}
                aria-current={active ? 'page' : undefined}
                px="md"
                py={6}
                fw={600}
                bg={active ? 'blue.1' : 'gray.1'}
                c={active ? 'blue.9' : undefined}
                style={{ borderRadius: 6 }}
              >
                {t(tab.label)}
              </UnstyledButton>
            );
          })}
        </Group>
      </nav>
      <Routes>
        <Route index element={<Navigate to={registrar ? 'incoming' : 'search'} replace />} />
        <Route path="incoming" element={registrar ? <IncomingPage /> : <Navigate to="/registry/search" replace />} />
        <Route path="outgoing" element={<NewDraftPage />} />
        <Route path="outgoing/:id" element={<DraftPage />} />
        <Route path="registers" element={<RegistersPage />} />
        <Route path="search" element={<SearchPage />} />
      </Routes>
    </Stack>
  );
}

/** /documents/:id — one letter, for anyone who may read it; a numbered one with its send dialog and deliveries. */
export function DocumentPage() {
  const { id } = useParams();
  return (
    <Stack key={id}>
      <DocumentView documentId={Number(id)} />
      <LetterActions documentId={Number(id)} />
      <LetterDeliveries documentId={Number(id)} />
    </Stack>
  );
}
