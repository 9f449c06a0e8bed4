// What the server already does with a registered letter, as buttons: ส่งต่อ (forward to a unit or a
// person: they get a task), เวียน (circulate to many units, each acknowledges) for registry clerks,
// and ยกเลิกเลข (void a number, with its reason) in the register. Refusals show in Thai.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Group, Modal, NativeSelect, ScrollArea, Stack, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { useI18n } from '../../i18n';
import type { List, Unit, User } from '../../lib/types';
import { unitName, userName } from '../admin/names';
import type { DocumentRecord } from '../../components/document/types';
import { refusal, useIsClerk } from './common';

function useOrgList<T>(what: 'units' | 'users') {
  const { me } = useAuth();
  const orgId = me?.organisation.id;
  return useQuery({ queryKey: [`org-${what}`, orgId], queryFn: () => api.get<List<T>>(`/organisations/${orgId}/${what}`), enabled: orgId != null, staleTime: 60_000 });
}

function ForwardDialog({ doc, onClose }: { doc: DocumentRecord; onClose: () => void }) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const units = useOrgList<Unit>('units');
  const users = useOrgList<User>('users');
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const secret = doc.secrecy !== 'normal';
  const send = useMutation({
    mutationFn: () => {
      const [kind, id] = to.split(':');
      return api.post(`/documents/${doc.id}/forward`, { [kind === 'unit' ? 'toUnitId' : 'toUserId']: Number(id), ...(note.trim() ? { note: note.trim() } : {}) });
    },
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('actions.forwarded') });
      void queryClient.invalidateQueries({ queryKey: ['documents'] });
      onClose();
    },
  });
  const data = [
    { value: '', label: t('validation.choose') },
    // A ลับ / ลับมาก letter goes only to a person, who becomes a named recipient.
    ...(secret ? [] : (units.data?.items ?? []).filter((u) => u.active).map((u) => ({ value: `unit:${u.id}`, label: `${t('actions.unit')}: ${unitName(u, locale)}` }))),
    ...(users.data?.items ?? []).filter((u) => u.active).map((u) => ({ value: `user:${u.id}`, label: `${t('actions.person')}: ${userName(u, locale)}` })),
  ];
  return (
    <Modal opened onClose={onClose} title={t('actions.forward')}>
      <Stack>
        <NativeSelect label={t('actions.forwardTo')} withAsterisk value={to} onChange={(e) => setTo(e.currentTarget.value)} data={data} />
        <Textarea label={t('actions.note')} autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        {send.error && <Alert color="red" role="alert">{refusal(send.error, t)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button disabled={!to} loading={send.isPending} onClick={() => send.mutate()}>{t('actions.forward')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function CirculateDialog({ doc, onClose }: { doc: DocumentRecord; onClose: () => void }) {
  const { t, locale } = useI18n();
  const units = useOrgList<Unit>('units');
  const [chosen, setChosen] = useState<number[]>([]);
  const send = useMutation({
    mutationFn: () => api.post(`/documents/${doc.id}/circulate`, { unitIds: chosen }),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('actions.circulated', { n: chosen.length }) });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('actions.circulate')}>
      <Stack>
        <Checkbox.Group label={t('actions.circulateTo')} withAsterisk value={chosen.map(String)} onChange={(v) => setChosen(v.map(Number))}>
          <ScrollArea.Autosize mah={320}>
            <Stack gap={6} mt="xs">
              {(units.data?.items ?? []).filter((u) => u.active).map((u) => (
                <Checkbox key={u.id} value={String(u.id)} label={unitName(u, locale)} />
              ))}
            </Stack>
          </ScrollArea.Autosize>
        </Checkbox.Group>
        {send.error && <Alert color="red" role="alert">{refusal(send.error, t)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button disabled={!chosen.length} loading={send.isPending} onClick={() => send.mutate()}>{t('actions.circulate')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** ส่งต่อ and เวียน on a registered letter, for registry clerks. */
export function LetterActions({ documentId }: { documentId: number }) {
  const { t } = useI18n();
  const clerk = useIsClerk();
  const doc = useQuery({ queryKey: ['documents', documentId], queryFn: () => api.get<DocumentRecord>(`/documents/${documentId}`), enabled: clerk });
  const [open, setOpen] = useState<'forward' | 'circulate' | null>(null);
  if (!clerk || !doc.data?.registration) return null;
  return (
    <Group gap="xs" data-testid="letter-actions">
      <Button variant="light" onClick={() => setOpen('forward')}>{t('actions.forward')}</Button>
      {doc.data.secrecy === 'normal' && <Button variant="light" onClick={() => setOpen('circulate')}>{t('actions.circulate')}</Button>}
      {open === 'forward' && <ForwardDialog doc={doc.data} onClose={() => setOpen(null)} />}
      {open === 'circulate' && <CirculateDialog doc={doc.data} onClose={() => setOpen(null)} />}
    </Group>
  );
}

/** ยกเลิกเลข: the number stays in the register, struck through, with the reason; never reused. */
export function VoidNumber({ entryId, label }: { entryId: number; label: string }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const send = useMutation({
    mutationFn: () => api.post(`/register-entries/${entryId}/void`, { reason: reason.trim() }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['registers'] });
      setOpen(false);
    },
  });
  return (
    <>
      <Button size="compact-xs" variant="subtle" color="red" c="red.9" aria-label={`${t('actions.void')} ${label}`} onClick={() => setOpen(true)}>
        {t('actions.void')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`${t('actions.void')} ${label}`}>
        <Stack>
          <Textarea label={t('actions.voidReason')} withAsterisk autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          {send.error && <Alert color="red" role="alert">{refusal(send.error, t)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>{t('common.cancel')}</Button>
            <Button color="red.9" disabled={reason.trim().length < 3} loading={send.isPending} onClick={() => send.mutate()}>{t('actions.void')}</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
