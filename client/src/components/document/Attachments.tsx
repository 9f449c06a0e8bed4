// A letter's files: download any, preview a PDF or an image inline. The content endpoint needs
// the bearer token, so a file is fetched, then shown from a blob URL (freed when closed).
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { api } from '../../lib/api';
import { useI18n } from '../../i18n';
import { blobUrl, download } from './files';
import type { Attachment } from './types';

const previewable = (mime: string) => mime === 'application/pdf' || mime.startsWith('image/');
const sizeText = (n: number) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

function Preview({ file, onClose }: { file: Attachment; onClose: () => void }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let made: string | null = null;
    let live = true;
    blobUrl(`/attachments/${file.id}/content`).then(
      (u) => {
        made = u;
        if (live) setUrl(u);
        else URL.revokeObjectURL(u);
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
      {!url && !failed && <Loader size="sm" aria-label={t('common.loading')} />}
      {url && file.mime === 'application/pdf' && <iframe src={url} title={file.filename} style={{ width: '100%', height: '70vh', border: '1px solid var(--mantine-color-gray-4)' }} />}
      {url && file.mime.startsWith('image/') && <img src={url} alt={file.filename} style={{ maxWidth: '100%' }} />}
    </Stack>
  );
}

export function Attachments({ documentId }: { documentId: number }) {
  const { t, date } = useI18n();
  const [open, setOpen] = useState<Attachment | null>(null);
  const [error, setError] = useState(false);
  const files = useQuery({ queryKey: ['documents', documentId, 'attachments'], queryFn: () => api.get<{ items: Attachment[] }>(`/documents/${documentId}/attachments`) });
  const items = files.data?.items ?? [];
  return (
    <Stack gap="xs" data-testid="attachments">
      <Title order={3} size="h5">
        {t('doc.attachments')}
      </Title>
      {files.isLoading && <Loader size="sm" aria-label={t('common.loading')} />}
      {files.isSuccess && items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('doc.noAttachments')}
        </Text>
      )}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={480}>
          <Table>
            <Table.Tbody>
              {items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>{a.role === 'main' ? t('doc.mainFile') : t('doc.enclosureFile')}</Table.Td>
                  <Table.Td>{a.filename}</Table.Td>
                  <Table.Td>{sizeText(a.size)}</Table.Td>
                  <Table.Td>{date(a.createdAt, 'short')}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      {previewable(a.mime) && (
                        <Button size="xs" variant="light" onClick={() => setOpen(a)} aria-label={`${t('doc.preview')} ${a.filename}`}>
                          {t('doc.preview')}
                        </Button>
                      )}
                      <Button size="xs" variant="default" onClick={() => download(`/attachments/${a.id}/content`, a.filename).then(() => setError(false), () => setError(true))} aria-label={`${t('doc.download')} ${a.filename}`}>
                        {t('doc.download')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {error && <Alert color="red">{t('doc.fileFailed')}</Alert>}
      {open && <Preview key={open.id} file={open} onClose={() => setOpen(null)} />}
    </Stack>
  );
}
