// On a letter that came from a citizen: the request's contact data (for the registry clerks and the
// people working on the letter; anyone else gets an empty answer and sees nothing here) and, while
// the request waits for its answer, a picker of numbered outgoing letters to link as the answer
// (POST /citizens/submissions/:id/reply: the citizen is e-mailed and downloads it when tracking).
import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Badge, Button, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { api, ApiError } from '../../lib/api';
import type { DocumentRecord } from './types';

interface Submission {
  id: number; trackingCode: string; status: 'received' | 'registered' | 'rejected' | 'answered'; name: string; idNumberMasked: string; address: string;
  phone: string | null; email: string; replyDocumentId: number | null; purgedAt: string | null;
}

/** Letters that can answer: numbered outgoing letters that are not secret (the server checks again, with the file). */
function ReplyPicker({ submission }: { submission: Submission }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [choice, setChoice] = useState<string | null>(null);
  const letters = useQuery({
    queryKey: ['citizens', 'reply-candidates'],
    queryFn: () => api.get<{ items: DocumentRecord[] }>('/search/documents?direction=outgoing&secrecy=normal&limit=100'),
  });
  const options = (letters.data?.items ?? []).filter((d) => d.letterNumber && ['registered', 'sent'].includes(d.status)).map((d) => ({ value: String(d.id), label: `${d.letterNumber} — ${d.subject}` }));
  const link = useMutation({
    mutationFn: (documentId: number) => api.post<Submission>(`/citizens/submissions/${submission.id}/reply`, { documentId }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['citizens'] }),
  });
  const problem = link.error instanceof ApiError ? link.error.message : link.error ? t('common.error') : null;
  return (
    <Stack gap="xs">
      <Group align="end" gap="sm" wrap="wrap">
        <Select
          label={t('citizen.reply.pick')} placeholder={t('citizen.reply.placeholder')} data={options} value={choice} onChange={setChoice} searchable clearable
          nothingFoundMessage={t('citizen.reply.none')} miw={320} style={{ flex: 1 }} data-testid="citizen-reply-picker"
        />
        <Button color="blue.9" disabled={!choice} loading={link.isPending} onClick={() => choice && link.mutate(Number(choice))}>
          {t('citizen.reply.link')}
        </Button>
      </Group>
      {problem && <Alert color="red" role="alert">{problem}</Alert>}
    </Stack>
  );
}

/** The requester's contact data (the ID number only masked): on the letter's page and in the tray's popover. */
export function CitizenContactTable({ s, withName = false }: { s: Pick<Submission, 'name' | 'trackingCode' | 'idNumberMasked' | 'address' | 'phone' | 'email'>; withName?: boolean }) {
  const { t } = useI18n();
  const rows: Array<[string, string]> = [
    ...(withName ? [[t('doc.from'), s.name] as [string, string]] : []),
    [t('citizen.code'), s.trackingCode], [t('citizen.idNumber'), s.idNumberMasked], [t('citizen.address'), s.address], [t('citizen.phone'), s.phone ?? '—'], [t('citizen.email'), s.email],
  ];
  return (
    <Table variant="vertical" withTableBorder>
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}><Table.Th w={160}>{label}</Table.Th><Table.Td>{value}</Table.Td></Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function CitizenReplyLink({ documentId }: { documentId: number }) {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['citizens', 'by-letter', documentId],
    queryFn: () => api.get<{ items: Submission[] }>(`/citizens/submissions?documentId=${documentId}`),
    retry: false,
  });
  const s = q.data?.items[0];
  const reply = useQuery({ queryKey: ['document', s?.replyDocumentId], queryFn: () => api.get<DocumentRecord>(`/documents/${s!.replyDocumentId}`), enabled: !!s?.replyDocumentId, retry: false });
  if (!s) return null;
  return (
    <Paper withBorder p="sm" data-testid="citizen-request">
      <Stack gap="xs">
        <Group gap="xs">
          <Title order={3} size="h5">{t('citizen.request')}</Title>
          <Badge variant="outline" color="grape.9">{t(`citizen.status.${s.status}` as MessageKey)}</Badge>
        </Group>
        {s.purgedAt ? (
          <Text size="sm">{t('citizen.purged')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={320}>
            <CitizenContactTable s={s} withName />
          </Table.ScrollContainer>
        )}
        {s.status === 'registered' && !s.purgedAt && <ReplyPicker submission={s} />}
        {s.replyDocumentId && (
          <Group gap="sm">
            <Text size="sm" data-testid="citizen-reply-linked">{t('citizen.reply.linked', { number: reply.data?.letterNumber ?? '…' })}</Text>
            <Button component={Link} to={`/documents/${s.replyDocumentId}`} size="compact-sm" variant="subtle">{t('citizen.reply.open')}</Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
