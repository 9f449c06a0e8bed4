// Sign-in: username and password, errors said in the user's language.
import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, TextInput, Title, Text } from '@mantine/core';
import { useI18n } from '../i18n';
import { useAuth } from '../lib/auth';
import { ApiError, takeSessionEnded } from '../lib/api';

export function LoginPage() {
  const { t, locale, setLocale } = useI18n();
  const { login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [ended] = useState(takeSessionEnded);
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
      const from = (location.state as { from?: string } | null)?.from;
      navigate(from && from !== '/login' ? from : '/', { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'account_inactive') setError(t('login.inactive'));
      else if (err instanceof ApiError && err.status === 429) setError(t('login.tooMany'));
      else if (err instanceof ApiError && (err.status === 401 || err.status === 400)) setError(t('login.failed'));
      else setError(`${t('common.error')}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper component="main" withBorder shadow="sm" p="xl" w="100%" maw={420}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <Group justify="space-between" align="flex-start">
              <div>
                <Title order={1} size="h3">
                  {t('app.name')}
                </Title>
                <Text c="dimmed" size="sm">
                  {t('login.title')}
                </Text>
              </div>
              <Button variant="subtle" size="xs" onClick={() => setLocale(locale === 'th' ? 'en' : 'th')} data-testid="language-switch">
                {t('lang.switchTo')}
              </Button>
            </Group>
            {ended && !error && (
              <Alert color="yellow" role="status" data-testid="session-ended">
                {t('login.expired')}
              </Alert>
            )}
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <TextInput label={t('login.username')} name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.currentTarget.value)} autoFocus />
            <PasswordInput label={t('login.password')} name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <Button type="submit" loading={busy} disabled={!username || !password} aria-describedby={!username || !password ? 'login-why-disabled' : undefined}>
              {t('login.submit')}
            </Button>
            {/* A disabled button says nothing by itself: say what it waits for. */}
            {(!username || !password) && (
              <Text size="sm" c="dimmed" id="login-why-disabled" data-testid="login-why-disabled">
                {t(!username && !password ? 'login.needBoth' : !username ? 'login.needUsername' : 'login.needPassword')}
              </Text>
            )}
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
