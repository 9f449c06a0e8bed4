// A letter's files: download any, preview a PDF or an image inline. The content endpoint needs
// the bearer token, so a file is fetched, then shown from a blob URL (freed when closed). Where a
// reader acts on the letter (a task), its main PDF can be open from the start. On a phone each file
// is a card (a table of five columns does not fit 390 px).
import { useEffect, useState } from 'react';
import { Alert, Button, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useI18n } from '../../i18n';
import { download, openBlob } from './files';
import { useAttachments } from './queries';
import type { Attachment } from './types';

const previewable = (mime: string) => mime === 'application/pdf' || mime.startsWith('image/');
const sizeText = (n: number) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

function Preview({ file, height, onClose }: { file: Attachment; height: number | string; onClose: () => void }) {
  const { t } = useI18n();
  const [shown, setShown] = useState<{ url: string; size: number } | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let made: string | null = null;
    let live = true;
    openBlob(`/attachments/${file.id}/content`).then(
      (b) => {
        made = b.url;
        if (live) setShown(b);
        else URL.revokeObjectURL(b.url);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [file.id]);
  return (
    <Stack gap="xs" data-testid="attachment-preview">
      <Group justify="space-between">
        <Text fw={600}>{file.filename}</Text>
        <Button variant="default" size="xs" onClick={onClose}>
          {t('common.close')}
        </Button>
      </Group>
      {failed && <Alert color="red">{t('doc.fileFailed')}</Alert>}
      {!shown && !failed && <Loader size="sm" role="status" aria-label={t('common.loading')} />}
      {shown && file.mime === 'application/pdf' && (
        <iframe src={shown.url} title={file.filename} data-testid="letter-preview" data-size={shown.size} style={{ width: '100%', height, border: '1px solid var(--mantine-color-gray-4)' }} />
      )}
      {shown && file.mime.startsWith('image/') && <img src={shown.url} alt={file.filename} style={{ maxWidth: '100%' }} />}
    </Stack>
  );
}

/** The file to open first: the main letter's PDF, else any PDF. */
const firstPdf = (items: Attachment[]) => {
  const pdfs = items.filter((a) => a.mime === 'application/pdf');
  return pdfs.find((a) => a.role === 'main') ?? pdfs[0] ?? null;
};

/** previewFirst: the open file above the list (a task's letter pane, where the letter is what is read first). */
export function Attachments({ documentId, openMain = false, previewHeight = '70vh', previewFirst = false }: { documentId: number; openMain?: boolean; previewHeight?: number | string; previewFirst?: boolean }) {
  const { t, date } = useI18n();
  // undefined until the reader picks or closes one: then the main PDF is open if openMain says so.
  const [picked, setPicked] = useState<Attachment | null | undefined>(undefined);
  const [error, setError] = useState(false);
  const files = useAttachments(documentId);
  const items = files.data?.items ?? [];
  const open = picked === undefined ? (openMain ? firstPdf(items) : null) : picked;
  const preview = open && <Preview key={open.id} file={open} height={previewHeight} onClose={() => setPicked(null)} />;
  const phone = useMediaQuery('(max-width: 48em)');
  const buttons = (a: Attachment) => (
    <Group gap="xs" wrap="nowrap">
      {previewable(a.mime) && open?.id !== a.id && (
        <Button size="xs" variant="light" onClick={() => setPicked(a)} aria-label={`${t('doc.preview')} ${a.filename}`}>
          {t('doc.preview')}
        </Button>
      )}
      <Button size="xs" variant="default" onClick={() => download(`/attachments/${a.id}/content`, a.filename).then(() => setError(false), () => setError(true))} aria-label={`${t('doc.download')} ${a.filename}`}>
        {t('doc.download')}
      </Button>
    </Group>
  );
  const kind = (a: Attachment) => (a.role === 'main' ? t('doc.mainFile') : t('doc.enclosureFile'));
  return (
    <Stack gap="xs" data-testid="attachments">
      {previewFirst && preview}
      <Title order={3} size="h5">
        {t('doc.attachments')}
      </Title>
      {files.isLoading && <Loader size="sm" role="status" aria-label={t('common.loading')} />}
      {files.isSuccess && items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('doc.noAttachments')}
        </Text>
      )}
      {items.length > 0 && phone && (
        <Stack gap="xs" data-testid="letter-attachments" role="list">
          {items.map((a) => (
            <Paper key={a.id} withBorder p="xs" role="listitem">
              <Stack gap={4}>
                <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                  {a.filename}
                </Text>
                <Text size="sm" c="dimmed">
                  {kind(a)} · {sizeText(a.size)} · {date(a.createdAt, 'short')}
                </Text>
                {buttons(a)}
              </Stack>
            </Paper>
          ))}
        </Stack>
      )}
      {items.length > 0 && !phone && (
        <Table.ScrollContainer minWidth={480}>
          <Table data-testid="letter-attachments">
            <Table.Tbody>
              {items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>{kind(a)}</Table.Td>
                  <Table.Td>{a.filename}</Table.Td>
                  <Table.Td>{sizeText(a.size)}</Table.Td>
                  <Table.Td>{date(a.createdAt, 'short')}</Table.Td>
                  <Table.Td>{buttons(a)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {error && <Alert color="red">{t('doc.fileFailed')}</Alert>}
      {!previewFirst && preview}
    </Stack>
  );
}
