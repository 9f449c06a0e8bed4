// The letter pane of a task: the letter itself first (the PDF drawn from a letter written here, or
// the main file an incoming one came as), then its files, receive stamp and fields. The page's
// heading already names the letter and its urgency, so neither is repeated here. A letter the
// step's worker may not read (a secret one) is left out: the task itself can still be done.
import { Loader, Stack } from '@mantine/core';
import { useAuth } from '../../lib/auth';
import { useI18n } from '../../i18n';
import { Attachments } from '../../components/document/Attachments';
import { LetterFields } from '../../components/document/DocumentView';
import { LetterPdf } from '../../components/document/LetterPdf';
import { ReceiveStamp } from '../../components/document/ReceiveStamp';
import { SignLetterButton } from '../../components/document/SignDialog';
import { useDocument } from '../../components/document/queries';

export function TaskLetter({ documentId, pdfHeight }: { documentId: number; pdfHeight: string }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const doc = useDocument(documentId);
  if (doc.isLoading) return <Loader size="sm" role="status" aria-label={t('common.loading')} />;
  if (doc.isError || !doc.data) return null;
  const d = doc.data;
  const incoming = d.direction === 'incoming';
  return (
    <Stack data-testid="letter">
      {/* ลงนาม, for the signer of the letter's open step (the button shows only to them). */}
      {!incoming && d.status === 'draft' && <SignLetterButton documentId={d.id} />}
      {!incoming && <LetterPdf key={d.status} documentId={d.id} version={d.version} subject={d.subject} height={pdfHeight} />}
      <Attachments documentId={d.id} openMain={incoming} previewFirst={incoming} previewHeight={pdfHeight} />
      {d.registration && incoming && <ReceiveStamp registration={d.registration} agency={me?.organisation.nameTh ?? ''} />}
      <LetterFields doc={d} withSubject={false} />
    </Stack>
  );
}
