// Routes.
import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Outlet, Route, Routes, useLocation, useParams } from 'react-router';
import { Alert, Center, Loader } from '@mantine/core';
import { useI18n } from './i18n';
import { useAuth } from './lib/auth';
import { AppLayout } from './components/AppLayout';
import { LoginPage } from './pages/LoginPage';
import { HomePage } from './pages/HomePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { InboxPage } from './pages/inbox/InboxPage';
import { TaskPage } from './pages/inbox/TaskPage';
import { DocumentPage, RegistryPage } from './pages/registry/RegistryPage';
import { OrganisationPage } from './pages/admin/OrganisationPage';
import { UnitsPage } from './pages/admin/UnitsPage';
import { PositionsPage } from './pages/admin/PositionsPage';
import { UsersPage } from './pages/admin/UsersPage';
import { GroupsPage } from './pages/admin/GroupsPage';
import { DelegationsPage } from './pages/admin/DelegationsPage';
import { ExchangePage } from './pages/admin/ExchangePage';
import { ArrivalsPage } from './pages/deliveries/ArrivalsPage';
import { OutgoingPage } from './pages/deliveries/OutgoingPage';

// bpmn-js and its properties panel are most of the bundle: loaded only when the modeler or the monitor opens.
const ModelerPage = lazy(() => import('./pages/modeler/ModelerPage').then((m) => ({ default: m.ModelerPage })));
const MonitorPage = lazy(() => import('./pages/monitor/MonitorPage').then((m) => ({ default: m.MonitorPage })));
const MonitorInstancePage = lazy(() => import('./pages/monitor/InstancePage').then((m) => ({ default: m.InstancePage })));
const pageLoader = (
  <Center h={300}>
    <Loader role="status" aria-label="loading" />
  </Center>
);

const wholePageLoader = (
  <Center h="100vh">
    <Loader role="status" aria-label="loading" />
  </Center>
);

/** Pages for a role: others see why they cannot use it (the server refuses their writes anyway). */
function RequireRole({ role, children }: { role: 'admin' | 'designer'; children: ReactNode }) {
  const { isAdmin, isDesigner } = useAuth();
  const { t } = useI18n();
  if (role === 'admin' ? isAdmin : isDesigner) return children;
  return (
    <Alert color="red" title={t('common.forbidden')} maw={700}>
      {t('common.forbiddenPage')}
    </Alert>
  );
}

/** The link in task mails (PUBLIC_URL/tasks/:id) opens the task. */
function TaskLink() {
  const { taskId } = useParams();
  return <Navigate to={`/inbox/${taskId}`} replace />;
}

export function App() {
  const { restoring, signedIn, me } = useAuth();
  const location = useLocation();
  if (restoring) return wholePageLoader; // until the refresh cookie says whether we are signed in
  if (!signedIn) {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="*" element={<Navigate to="/login" replace state={{ from: location.pathname + location.search }} />} />
      </Routes>
    );
  }
  if (!me) return wholePageLoader;
  return (
    <Routes>
      <Route path="/login" element={<Navigate to="/" replace />} />
      <Route element={<AppLayout />}>
        <Route index element={<HomePage />} />
        <Route path="inbox" element={<InboxPage />} />
        {/* A task takes the whole page (two panes: the letter beside its chain and decision). */}
        <Route path="inbox/:taskId" element={<TaskPage />} />
        <Route path="tasks/:taskId" element={<TaskLink />} />
        <Route path="registry/*" element={<RegistryPage />} />
        <Route path="documents/:id" element={<DocumentPage />} />
        <Route path="arrivals" element={<ArrivalsPage />} />
        <Route path="deliveries/outgoing" element={<OutgoingPage />} />
        <Route path="monitor" element={<Suspense fallback={pageLoader}><MonitorPage /></Suspense>} />
        <Route path="monitor/instances/:id" element={<Suspense fallback={pageLoader}><MonitorInstancePage /></Suspense>} />
        <Route path="modeler" element={<RequireRole role="designer"><Suspense fallback={pageLoader}><ModelerPage /></Suspense></RequireRole>} />
        <Route path="admin" element={<RequireRole role="admin"><Outlet /></RequireRole>}>
          <Route index element={<Navigate to="organisation" replace />} />
          <Route path="organisation" element={<OrganisationPage />} />
          <Route path="units" element={<UnitsPage />} />
          <Route path="positions" element={<PositionsPage />} />
          <Route path="users" element={<UsersPage />} />
          <Route path="groups" element={<GroupsPage />} />
          <Route path="delegations" element={<DelegationsPage />} />
          <Route path="exchange" element={<ExchangePage />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
