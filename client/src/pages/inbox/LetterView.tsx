// The letter a task is about: its fields, a preview of its PDF inside the page (fetched with the
// access token, shown from a blob: URL), its files, its endorsement chain in order and its route.
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Group, List, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { api } from '../../lib/api';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import type { Attachment, DocumentRoute, Endorsement, Letter } from './types';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{children || '—'}</Text>
    </div>
  );
}

function PdfPreview({ attachment }: { attachment: Attachment }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<{ href: string; size: number } | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let objectUrl: string | null = null;
    let cancelled = false;
    setUrl(null);
    setFailed(false);
    api.blob(`/attachments/${attachment.id}/content`).then(
      (blob) => {
        if (cancelled) return;
        objectUrl = URL.createObjectURL(new Blob([blob], { type: 'application/pdf' }));
        setUrl({ href: objectUrl, size: blob.size });
      },
      () => !cancelled && setFailed(true),
    );
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [attachment.id]);
  if (failed) return <Alert color="red">{t('task.previewFailed')}</Alert>;
  if (!url) return <Loader size="sm" aria-label={t('common.loading')} />;
  return <iframe src={url.href} title={`${t('task.preview')}: ${attachment.filename}`} data-testid="letter-preview" data-size={url.size} style={{ width: '100%', height: 480, border: '1px solid var(--mantine-color-gray-4)' }} />;
}

function Attachments({ documentId }: { documentId: number }) {
  const { t } = useI18n();
  const files = useQuery({ queryKey: ['attachments', documentId], queryFn: () => api.get<{ items: Attachment[] }>(`/documents/${documentId}/attachments`) });
  const items = files.data?.items ?? [];
  const pdfs = items.filter((a) => a.mime === 'application/pdf');
  const [shown, setShown] = useState<number | null>(null);
  const preview = pdfs.find((a) => a.id === shown) ?? pdfs.find((a) => a.role === 'main') ?? pdfs[0];
  if (files.isLoading) return <Loader size="sm" aria-label={t('common.loading')} />;
  return (
    <Stack gap="xs">
      <Title order={4} size="h6">
        {t('task.preview')}
      </Title>
      {preview ? <PdfPreview attachment={preview} /> : <Text size="sm" c="dimmed">{t('task.noPdf')}</Text>}
      <Title order={4} size="h6">
        {t('task.attachments')}
      </Title>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('task.noAttachments')}
        </Text>
      ) : (
        <Table data-testid="letter-attachments">
          <Table.Tbody>
            {items.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>{t(`task.attachment.${a.role}` as MessageKey)}</Table.Td>
                <Table.Td style={{ wordBreak: 'break-all' }}>{a.filename}</Table.Td>
                <Table.Td>{Math.max(1, Math.round(a.size / 1024))} KB</Table.Td>
                <Table.Td>
                  {a.mime === 'application/pdf' && a.id !== preview?.id && (
                    <Button size="compact-xs" variant="subtle" onClick={() => setShown(a.id)}>
                      {t('task.show')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function Endorsements({ documentId }: { documentId: number }) {
  const { t, date } = useI18n();
  const chain = useQuery({ queryKey: ['endorsements', documentId], queryFn: () => api.get<{ items: Endorsement[] }>(`/documents/${documentId}/endorsements`) });
  return (
    <Stack gap="xs" data-testid="letter-endorsements">
      <Title order={4} size="h6">
        {t('task.endorsements')}
      </Title>
      {chain.isLoading ? (
        <Loader size="sm" aria-label={t('common.loading')} />
      ) : (chain.data?.items ?? []).length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('task.noEndorsements')}
        </Text>
      ) : (
        <List type="ordered" spacing="xs" size="sm">
          {chain.data!.items.map((e) => (
            <List.Item key={e.id} data-seq={e.seq}>
              {e.decisionTh && <Text span fw={700}>{e.decisionTh} </Text>}
              {e.text}
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-line' }}>
                {e.signatureBlock} · {date(e.createdAt, 'shortDateTime')}
              </Text>
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

function Route({ documentId }: { documentId: number }) {
  const { t, date } = useI18n();
  const route = useQuery({ queryKey: ['route', documentId], queryFn: () => api.get<DocumentRoute>(`/documents/${documentId}/route`) });
  if (route.isError) return null;
  return (
    <Stack gap="xs" data-testid="letter-route">
      <Title order={4} size="h6">
        {t('task.route')}
      </Title>
      {!route.data ? (
        <Loader size="sm" aria-label={t('common.loading')} />
      ) : (
        <List size="sm" spacing={4}>
          {route.data.done.length === 0 && <List.Item>{t('task.routeEmpty')}</List.Item>}
          {route.data.done.map((s) => (
            <List.Item key={s.taskId}>
              <Text span fw={600}>
                {date(s.completedAt, 'shortDateTime')}
              </Text>{' '}
              {s.name}
              {s.completedByName && ` — ${s.completedByName}`}
              {s.note && `: ${s.note}`}
            </List.Item>
          ))}
          {route.data.current.map((s) => (
            <List.Item key={s.taskId}>
              <Text span fw={600} c="blue.9">
                {t('task.now')}
              </Text>{' '}
              {s.name} ({s.holders.map((h) => h.name).join(', ')})
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

export function LetterView({ documentId }: { documentId: number }) {
  const { t, date } = useI18n();
  const letter = useQuery({ queryKey: ['document', documentId], queryFn: () => api.get<Letter>(`/documents/${documentId}`), retry: false });
  if (letter.isLoading) return <Loader size="sm" aria-label={t('common.loading')} />;
  if (!letter.data) return null; // not everyone who works a step may read a secret letter
  const d = letter.data;
  return (
    <Stack data-testid="letter">
      <Title order={3} size="h5">
        {t('task.letter')} · {d.typeTh}
      </Title>
      <Paper withBorder p="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <Field label={t('letter.number')}>{d.letterNumber}</Field>
          <Field label={t('letter.date')}>{d.letterDateTh}</Field>
          <Field label={t('letter.from')}>{d.senderName}</Field>
          <Field label={d.salutation ?? t('letter.to')}>{d.addressee}</Field>
          <Field label={t('letter.subject')}>{d.subject}</Field>
          <Field label={t('letter.received')}>{d.registration && `${d.registration.number}/${d.registration.year} · ${date(d.registration.registeredAt, 'shortDateTime')}`}</Field>
          {d.secrecy !== 'normal' && (
            <Field label={t('letter.secrecy')}>
              <Text span c="red.8" fw={700}>{d.secrecyTh}</Text>
            </Field>
          )}
        </SimpleGrid>
        {d.body && (
          <Group mt="xs">
            <Field label={t('letter.body')}>{d.body}</Field>
          </Group>
        )}
      </Paper>
      <Attachments documentId={documentId} />
      <Endorsements documentId={documentId} />
      <Route documentId={documentId} />
    </Stack>
  );
}
