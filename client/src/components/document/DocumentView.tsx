// One letter as a reader sees it: its marks (urgency in red, secrecy), its fields with B.E. dates,
// the receive stamp or its number, files, endorsement chain and route, on the document page. The
// inbox's task view (pages/inbox/TaskLetter.tsx) lays the same pieces out in two panes.
import type { ReactNode } from 'react';
import { Alert, Divider, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { ApiError } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { Attachments } from './Attachments';
import { CitizenReplyLink } from './CitizenReplyLink';
import { EndorsementChain, LetterRouteView } from './LetterChain';
import { LetterPdf } from './LetterPdf';
import { SignLetterButton } from './SignDialog';
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

/** The letter's fields with B.E. dates. In a task the page's heading is already its subject, so it is left out there. */
export function LetterFields({ doc: d, withSubject = true }: { doc: DocumentRecord; withSubject?: boolean }) {
  const { t, date, locale } = useI18n();
  const rows: Array<[string, ReactNode]> = [
    [t('doc.type'), d.typeTh],
    [t('doc.letterNumber'), d.letterNumber ?? '—'],
    [t('doc.letterDate'), d.letterDate ? date(d.letterDate, 'long') : '—'],
    ...(withSubject ? [[t('doc.subject'), d.subject] as [string, ReactNode]] : []),
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
    <>
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
      {d.direction === 'incoming' && <CitizenReplyLink documentId={d.id} />}
      {d.body && (
        <Text style={{ whiteSpace: 'pre-line' }} data-testid="document-body">
          {d.body}
        </Text>
      )}
    </>
  );
}

export function DocumentView({ documentId }: { documentId: number }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const doc = useDocument(documentId);
  if (doc.isLoading) return <Loader role="status" aria-label={t('common.loading')} />;
  if (doc.isError || !doc.data) return <Alert color="red">{doc.error instanceof ApiError && doc.error.status === 404 ? t('doc.notFound') : t('common.error')}</Alert>;
  const d = doc.data;
  return (
    <Stack data-testid="document-view">
      <LetterMarks doc={d} />
      <Title order={2} size="h3">
        {d.subject}
      </Title>
      {d.registration && d.direction === 'incoming' && <ReceiveStamp registration={d.registration} agency={me?.organisation.nameTh ?? ''} />}
      <LetterFields doc={d} />
      <Divider />
      {/* ลงนาม, for the signer of the letter's open step: on the letter's page and in the task alike. */}
      {d.direction !== 'incoming' && d.status === 'draft' && <SignLetterButton documentId={d.id} />}
      {/* A letter written here is drawn from its fields (signed: its signed file, so drawn again when its status moves); an incoming one is the file it came as (its main attachment). */}
      {d.direction !== 'incoming' && <LetterPdf key={d.status} documentId={d.id} version={d.version} subject={d.subject} />}
      <Attachments documentId={d.id} />
      <Divider />
      <EndorsementChain documentId={d.id} />
      <LetterRouteView documentId={d.id} />
    </Stack>
  );
}
