// The letter itself as the server draws it (PDF/A, the Regulation's layout): on the letter's page,
// in the inbox's task panel, and as a live preview beside a draft being written. The PDF needs the
// bearer token, so it is fetched and shown from a blob URL (freed when replaced or closed).
import { useEffect, useState } from 'react';
import { Alert, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { ApiError, request } from '../../lib/api';
import { useI18n } from '../../i18n';

type Shown = { url: string; size: number } | { error: ApiError | null } | null;

/** Loads a PDF with `load` whenever `key` changes; the last one loaded stays until the next is ready. */
function usePdf(load: (() => Promise<Blob>) | null, key: string, delayMs = 0): { shown: Shown; loading: boolean } {
  const [shown, setShown] = useState<Shown>(null);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    if (!load) return;
    let live = true;
    let made: string | null = null;
    const timer = setTimeout(() => {
      setLoading(true);
      load().then(
        (blob) => {
          if (!live) return;
          made = URL.createObjectURL(blob);
          setShown({ url: made, size: blob.size });
        },
        (err: unknown) => live && setShown({ error: err instanceof ApiError ? err : null }),
      ).finally(() => live && setLoading(false));
    }, delayMs);
    return () => {
      live = false;
      clearTimeout(timer);
      // Freed a moment later: the frame may still be drawing from it until the next one replaces it.
      if (made) setTimeout((u: string) => URL.revokeObjectURL(u), 60_000, made);
    };
    // `key` stands for what `load` reads: the effect runs again when that changes, not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return { shown, loading };
}

/**
 * `name` is what a screen reader announces for the frame (the letter's subject): every frame on a
 * page must say which letter it holds, not only "the letter (PDF)". The viewer's own toolbar shows
 * the PDF's Title metadata, which the server sets from the subject (letters/render.ts); without it
 * Chromium would show the blob URL's random id.
 */
function Frame({ shown, loading, height, title, name, testId }: { shown: Shown; loading: boolean; height: number | string; title: string; name: string; testId: string }) {
  const { t } = useI18n();
  const failed = shown && 'error' in shown ? shown.error : undefined;
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Title order={3} size="h5">
          {title}
        </Title>
        {loading && <Loader size="xs" role="status" aria-label={t('common.loading')} />}
      </Group>
      {failed !== undefined && (
        <Alert color={failed?.status === 503 ? 'yellow' : 'red'} data-testid={`${testId}-error`}>
          <Text size="sm">{failed?.status === 503 ? `${t('letter.unavailable')} ${failed.message}` : failed && failed.status < 500 ? `${t('letter.incomplete')} ${failed.message}` : t('doc.fileFailed')}</Text>
        </Alert>
      )}
      {/* The frame's place is kept while the first PDF is drawn, so what is below does not jump under a click. */}
      {!shown && loading && <div data-testid={`${testId}-pending`} style={{ width: '100%', height, border: '1px solid var(--mantine-color-gray-3)' }} />}
      {shown && 'url' in shown && (
        <iframe src={shown.url} title={name} data-testid={testId} data-size={shown.size} style={{ width: '100%', height, border: '1px solid var(--mantine-color-gray-4)' }} />
      )}
    </Stack>
  );
}

/** A stored letter as PDF; `version` makes it redraw after an edit. */
export function LetterPdf({ documentId, version, subject, height = '70vh' }: { documentId: number; version: number; subject: string; height?: number | string }) {
  const { t } = useI18n();
  const { shown, loading } = usePdf(() => request<Blob>(`/documents/${documentId}/letter`, { blob: true }), `${documentId}:${version}`);
  return <Frame shown={shown} loading={loading || !shown} height={height} title={t('letter.pdf')} name={t('letter.pdfOf', { subject })} testId="letter-pdf" />;
}

/** A draft's fields drawn as the letter, redrawn a moment after the author stops typing. */
export function LetterLivePreview({ fields, height = '80vh' }: { fields: Record<string, unknown>; height?: number | string }) {
  const { t } = useI18n();
  const key = JSON.stringify(fields);
  const { shown, loading } = usePdf(() => request<Blob>('/letters/preview', { method: 'POST', body: fields, blob: true }), key, 700);
  const subject = typeof fields.subject === 'string' ? fields.subject.trim() : '';
  return <Frame shown={shown} loading={loading} height={height} title={t('letter.preview')} name={subject ? t('letter.previewOf', { subject }) : t('letter.preview')} testId="letter-live-preview" />;
}
