// ลงนาม: the signer of a letter's ลงนาม step signs it electronically. The password again (the fresh
// sign-in check), then the signing PIN; the server numbers, dates, draws and signs the letter in one
// go and sends it on to the registry. Someone without a PIN or certificate sets them up here first;
// without a certificate the typed name of the 2564 amendment stays (the step's own form).
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Group, Modal, NativeSelect, PasswordInput, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api, ApiError, request } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { useI18n } from '../../i18n';
import { documentKeys } from './queries';

export interface LetterSigning { taskId: number | null; pinSet: boolean; lockedUntil: string | null; certificate: { subject: string; notAfter: string } | null }

export const signingKey = (documentId: number) => [...documentKeys.all(documentId), 'signing'] as const;

/** Whether the reader can sign this letter now, and their signing set-up. */
export function useLetterSigning(documentId: number) {
  return useQuery({ queryKey: signingKey(documentId), queryFn: () => api.get<LetterSigning>(`/documents/${documentId}/signing`), staleTime: 10_000 });
}

const message = (err: unknown, fallback: string) => (err instanceof ApiError ? err.message : err ? fallback : null);

/** The signing PIN (set once) and the certificate from the organisation's CA (asked for with the PIN). */
export function SigningSetup({ signing, onChanged }: { signing: LetterSigning; onChanged: () => void }) {
  const { t } = useI18n();
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  const savePin = useMutation({ mutationFn: () => request(`/signatures/pin`, { method: 'PUT', body: { pin } }), onSuccess: () => { setRepeat(''); onChanged(); } });
  const issue = useMutation({ mutationFn: () => api.post('/signatures/credentials', { pin }), onSuccess: () => { setPin(''); onChanged(); } });
  if (!signing.pinSet) {
    const mismatch = repeat.length > 0 && repeat !== pin;
    return (
      <Stack data-testid="signing-setup">
        <Text fw={700}>{t('sign.setPin')}</Text>
        <PasswordInput label={t('sign.newPin')} value={pin} onChange={(e) => setPin(e.currentTarget.value)} autoComplete="new-password" />
        <PasswordInput label={t('sign.repeatPin')} value={repeat} onChange={(e) => setRepeat(e.currentTarget.value)} error={mismatch ? t('sign.pinMismatch') : undefined} autoComplete="new-password" />
        {savePin.error && <Alert color="red" role="alert">{message(savePin.error, t('common.error'))}</Alert>}
        <Group justify="flex-end">
          <Button disabled={pin.length < 6 || pin !== repeat} loading={savePin.isPending} onClick={() => savePin.mutate()}>{t('sign.savePin')}</Button>
        </Group>
      </Stack>
    );
  }
  if (!signing.certificate) {
    return (
      <Stack data-testid="signing-setup">
        <Alert color="yellow">{t('sign.noCertificate')}</Alert>
        <PasswordInput label={t('sign.pin')} value={pin} onChange={(e) => setPin(e.currentTarget.value)} autoComplete="off" />
        {issue.error && <Alert color="red" role="alert">{message(issue.error, t('common.error'))}</Alert>}
        <Group justify="flex-end">
          <Button disabled={pin.length < 6} loading={issue.isPending} onClick={() => issue.mutate()}>{t('sign.requestCertificate')}</Button>
        </Group>
      </Stack>
    );
  }
  return null;
}

export function SignDialog({ documentId, onClose }: { documentId: number; onClose: () => void }) {
  const { t, date } = useI18n();
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const signing = useLetterSigning(documentId);
  const [password, setPassword] = useState('');
  const [pin, setPin] = useState('');
  const [grant, setGrant] = useState<string | null>(null);
  const [capacity, setCapacity] = useState('self');
  const check = useMutation({
    mutationFn: () => api.post<{ signingGrant: string }>('/signatures/check', { password }),
    onSuccess: (answer) => { setGrant(answer.signingGrant); setPassword(''); },
  });
  const sign = useMutation({
    mutationFn: () => {
      const [kind, positionId] = capacity.split(':');
      return api.post<{ letterNumber: string | null }>(`/documents/${documentId}/sign`, { pin, signingGrant: grant, capacity: kind, ...(positionId ? { positionId: Number(positionId) } : {}) });
    },
    onSuccess: (answer) => {
      notifications.show({ color: 'green', message: t('sign.done', { number: answer.letterNumber ?? '' }) });
      void queryClient.invalidateQueries({ queryKey: documentKeys.all(documentId) });
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
      onClose();
    },
    onError: (err) => {
      // The sign-in check is used up or expired: start again from the password.
      if (err instanceof ApiError && err.status === 401) setGrant(null);
      setPin('');
    },
  });
  const s = signing.data;
  const delegated = (me?.capacities ?? []).filter((c) => c.capacity !== 'self');
  return (
    <Modal opened onClose={onClose} title={t('sign.title')}>
      <Stack>
        {!s && <Text size="sm">{t('common.loading')}</Text>}
        {s && (!s.pinSet || !s.certificate) && <SigningSetup signing={s} onChanged={() => void signing.refetch()} />}
        {s?.certificate && s.pinSet && (
          <>
            <Text size="sm">{t('sign.note')}</Text>
            <Text size="xs" c="dimmed">{t('sign.certificate', { subject: s.certificate.subject, date: date(s.certificate.notAfter, 'short') })}</Text>
            {s.lockedUntil && <Alert color="red">{t('sign.locked')}</Alert>}
            {!grant ? (
              <form onSubmit={(e) => { e.preventDefault(); check.mutate(); }}>
                <Stack>
                  <PasswordInput label={t('sign.password')} description={t('sign.passwordStep')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="current-password" data-autofocus />
                  {check.error && <Alert color="red" role="alert">{message(check.error, t('common.error'))}</Alert>}
                  {sign.error instanceof ApiError && sign.error.status === 401 && <Alert color="red" role="alert">{sign.error.message}</Alert>}
                  <Group justify="flex-end">
                    <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
                    <Button type="submit" disabled={!password} loading={check.isPending}>{t('sign.confirm')}</Button>
                  </Group>
                </Stack>
              </form>
            ) : (
              <form onSubmit={(e) => { e.preventDefault(); sign.mutate(); }}>
                <Stack>
                  {delegated.length > 0 && (
                    <NativeSelect label={t('sign.capacity')} value={capacity} onChange={(e) => setCapacity(e.currentTarget.value)}
                      data={[{ value: 'self', label: t('capacity.self') }, ...delegated.map((c) => ({ value: `${c.capacity}:${c.positionId}`, label: `${t(`capacity.${c.capacity}`)} ${c.positionTitleTh ?? ''}` }))]} />
                  )}
                  <PasswordInput label={t('sign.pin')} value={pin} onChange={(e) => setPin(e.currentTarget.value)} autoComplete="off" data-autofocus />
                  {sign.error && <Alert color="red" role="alert">{message(sign.error, t('common.error'))}</Alert>}
                  <Group justify="flex-end">
                    <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
                    <Button type="submit" disabled={pin.length < 6} loading={sign.isPending}>{t('sign.submit')}</Button>
                  </Group>
                </Stack>
              </form>
            )}
          </>
        )}
      </Stack>
    </Modal>
  );
}

/** The ลงนาม button, shown only to the signer of the letter's open ลงนาม step (the server says: GET /documents/:id/signing). */
export function SignLetterButton({ documentId }: { documentId: number }) {
  const { t } = useI18n();
  const signing = useLetterSigning(documentId);
  const [open, setOpen] = useState(false);
  if (!signing.data?.taskId) return null;
  return (
    <Group>
      <Button onClick={() => setOpen(true)} data-testid="sign-letter">{t('sign.button')}</Button>
      {open && <SignDialog documentId={documentId} onClose={() => setOpen(false)} />}
    </Group>
  );
}
