// One letter as a reader sees it: its marks (urgency in red, secrecy), its fields with B.E. dates,
// the receive stamp or its number, files, endorsement chain and route. Shown on the document page
// and, as the `task` variant, in the inbox's task panel: there the task's heading already names the letter,
// its main PDF is open from the start, and a letter the step's worker may not read (a secret one)
// is simply left out, since the task itself can still be done.
import type { ReactNode } from 'react';
import { Alert, Divider, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { ApiError } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { Attachments } from './Attachments';
import { EndorsementChain, LetterRouteView } from './LetterChain';
import { LetterPdf } from './LetterPdf';
import { ReceiveStamp } from './ReceiveStamp';
import { useDocument } from './queries';
import type { DocumentRecord } from './types';

/** ด่วน… in red, large; ลับ… in red too: the marks a reader must see first. */
export function LetterMarks({ doc }: { doc: Pick<DocumentRecord, 'urgency' | 'urgencyTh' | 'secrecy' | 'secrecyTh'> }) {
  return (
    <Group gap="md">
      {doc.urgency !== 'normal' && (
        <Text component="span" c="red.9" fw={700} fz="xl" data-testid="urgency-mark">
          {doc.urgencyTh}
        </Text>
      )}
      {doc.secrecy !== 'normal' && (
        <Text component="span" c="red.9" fw={700} fz="xl" data-testid="secrecy-mark">
          {doc.secrecyTh}
        </Text>
      )}
    </Group>
  );
}

export function DocumentView({ documentId, variant = 'page' }: { documentId: number; variant?: 'page' | 'task' }) {
  const { t, date, locale } = useI18n();
  const { me } = useAuth();
  const doc = useDocument(documentId);
  const inTask = variant === 'task';
  if (doc.isLoading) return <Loader size={inTask ? 'sm' : undefined} role="status" aria-label={t('common.loading')} />;
  if (inTask && (doc.isError || !doc.data)) return null;
  if (doc.isError || !doc.data) return <Alert color="red">{doc.error instanceof ApiError && doc.error.status === 404 ? t('doc.notFound') : t('common.error')}</Alert>;
  const d = doc.data;
  const rows: Array<[string, ReactNode]> = [
    [t('doc.type'), d.typeTh],
    [t('doc.letterNumber'), d.letterNumber ?? '—'],
    [t('doc.letterDate'), d.letterDate ? date(d.letterDate, 'long') : '—'],
    [t('doc.subject'), d.subject],
    [t('doc.from'), d.senderName ?? '—'],
    [t('doc.to'), [d.salutation, d.addressee].filter(Boolean).join(' ') || '—'],
  ];
  if (d.references.length) rows.push([t('doc.references'), d.references.map((r) => [r.owner, `ที่ ${r.number}`, r.date ? `ลงวันที่ ${date(r.date, 'long')}` : ''].filter(Boolean).join(' ')).join('; ')]);
  if (d.enclosures.length) rows.push([t('doc.enclosures'), d.enclosures.join('; ')]);
  if (d.copiesTo.length) rows.push([t('doc.copiesTo'), d.copiesTo.join('; ')]);
  if (d.signerName) rows.push([t('doc.signer'), [d.signerName, d.signerPosition].filter(Boolean).join(' ')]);
  rows.push([t('doc.status'), t(`doc.status.${d.status}` as MessageKey)]);
  if (d.registration && d.direction !== 'incoming') rows.push([t('doc.registered'), `${d.registration.number}/${d.registration.year} — ${locale === 'th' ? `${d.registration.dateTh} ${d.registration.timeTh}` : date(d.registration.registeredAt, 'shortDateTime')}`]);
  return (
    <Stack data-testid={inTask ? 'letter' : 'document-view'}>
      <LetterMarks doc={d} />
      {/* In a task the panel's heading is already the letter's subject (the table repeats it). */}
      {!inTask && (
        <Title order={2} size="h3">
          {d.subject}
        </Title>
      )}
      {d.registration && d.direction === 'incoming' && <ReceiveStamp registration={d.registration} agency={me?.organisation.nameTh ?? ''} />}
      <Table.ScrollContainer minWidth={320}>
        <Table variant="vertical" withTableBorder>
          <Table.Tbody>
            {rows.map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th w={160}>{label}</Table.Th>
                <Table.Td>{value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {d.body && (
        <Text style={{ whiteSpace: 'pre-line' }} data-testid="document-body">
          {d.body}
        </Text>
      )}
      <Divider />
      {/* A letter written here is drawn from its fields; an incoming one is the file it came as (its main attachment). */}
      {d.direction !== 'incoming' && <LetterPdf documentId={d.id} version={d.version} height={inTask ? 480 : undefined} />}
      <Attachments documentId={d.id} openMain={inTask && d.direction === 'incoming'} previewHeight={inTask ? 480 : undefined} />
      <Divider />
      <EndorsementChain documentId={d.id} testId={inTask ? 'letter-endorsements' : undefined} />
      <LetterRouteView documentId={d.id} />
    </Stack>
  );
}
