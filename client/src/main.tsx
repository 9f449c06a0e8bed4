// Entry point of the web app: theme, language, data cache, session, routes.
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
// Sarabun (the open version of TH Sarabun, the Thai government's standard typeface), bundled:
// the browser takes only the subsets a page uses, and nothing comes from a font CDN.
import '@fontsource/sarabun/400.css';
import '@fontsource/sarabun/500.css';
import '@fontsource/sarabun/600.css';
import '@fontsource/sarabun/700.css';
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './app.css';
import { theme } from './theme';
import { I18nProvider } from './i18n';
import { AuthProvider } from './lib/auth';
import { ApiError } from './lib/api';
import { App } from './App';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change on retry; a network blip might.
      retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

// The citizens' public pages (/public/…) are their own app: no staff session, no cookie.
const PublicApp = lazy(() => import('./pages/public/PublicApp').then((m) => ({ default: m.PublicApp })));
const isPublic = /^\/public(\/|$)/.test(window.location.pathname);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <Notifications position="top-right" />
      <I18nProvider>
        <QueryClientProvider client={queryClient}>
          {isPublic ? (
            <BrowserRouter>
              <Suspense fallback={null}>
                <PublicApp />
              </Suspense>
            </BrowserRouter>
          ) : (
            <AuthProvider>
              <BrowserRouter>
                <App />
              </BrowserRouter>
            </AuthProvider>
          )}
        </QueryClientProvider>
      </I18nProvider>
    </MantineProvider>
  </StrictMode>,
);
