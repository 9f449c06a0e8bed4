// หนังสือรอลงรับ: letters other organisations of the deployment sent to us, most urgent first, live.
// A registry clerk (the secrets custodian for secret ones) reads their files, then accepts (the
// receive number shows at once), rejects with a reason, or returns one sent to the wrong recipient.
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Badge, Button, Group, Loader, Modal, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { api, ApiError } from '../../lib/api';
import { useI18n } from '../../i18n';
import type { Delivery, DeliveryAccepted, DeliveryFile } from '../../lib/types';
import { openBlob } from '../../components/document/files';
import { useIsClerk, useIsCustodian } from '../registry/common';
import { deliveryKeys, deliveryRefusal, useArrivals } from './queries';
import { CitizenSender } from './CitizenContact';

/** ด่วนที่สุด in solid red down to ปกติ in grey: the tray is read by colour first. */
const URGENCY_COLOUR: Record<string, { color: string; variant: 'filled' | 'light' | 'outline' }> = {
  most_urgent: { color: 'red', variant: 'filled' },
  very_urgent: { color: 'red', variant: 'light' },
  deadline: { color: 'red', variant: 'outline' },
  urgent: { color: 'orange', variant: 'light' },
  normal: { color: 'gray', variant: 'light' },
};

type Done = { kind: 'accepted'; subject: string; number: number; year: number; documentId: number } | { kind: 'rejected' | 'returned'; subject: string };

export function ArrivalsPage() {
  const { t, date } = useI18n();
  const clerk = useIsClerk();
  const custodian = useIsCustodian();
  const arrivals = useArrivals(clerk || custodian);
  const queryClient = useQueryClient();
  const [done, setDone] = useState<Done[]>([]);
  const [rejecting, setRejecting] = useState<Delivery | null>(null);
  const [preview, setPreview] = useState<{ delivery: Delivery; file: DeliveryFile } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: deliveryKeys.all });

  const accept = useMutation({
    mutationFn: (d: Delivery) => api.post<DeliveryAccepted>(`/deliveries/${d.id}/accept`),
    onMutate: () => setError(null),
    onSuccess: (r, d) => setDone((prev) => [{ kind: 'accepted', subject: d.letter.subject, number: r.entry.number, year: r.entry.year, documentId: r.receivedDocumentId }, ...prev]),
    onError: setError,
    onSettled: refresh,
  });
  const giveBack = useMutation({
    mutationFn: (d: Delivery) => api.post<Delivery>(`/deliveries/${d.id}/return`),
    onMutate: () => setError(null),
    onSuccess: (_r, d) => setDone((prev) => [{ kind: 'returned', subject: d.letter.subject }, ...prev]),
    onError: setError,
    onSettled: refresh,
  });
  const busy = (d: Delivery) => (accept.isPending && accept.variables?.id === d.id) || (giveBack.isPending && giveBack.variables?.id === d.id);

  if (!clerk && !custodian) {
    return (
      <Alert color="red" title={t('common.forbidden')} maw={700}>
        {t('arrivals.forbidden')}
      </Alert>
    );
  }
  const items = arrivals.data ?? [];
  return (
    <Stack>
      <Title order={2}>{t('arrivals.title')}</Title>
      {done.map((d, i) => (
        <Alert key={i} color={d.kind === 'accepted' ? 'green' : 'gray'} withCloseButton onClose={() => setDone((prev) => prev.filter((x) => x !== d))} data-testid={d.kind === 'accepted' ? 'accepted' : undefined}>
          <Group gap="sm">
            <Text>{d.kind === 'accepted' ? t('arrivals.accepted', { number: d.number, year: d.year, subject: d.subject }) : t(d.kind === 'rejected' ? 'arrivals.rejected' : 'arrivals.returned', { subject: d.subject })}</Text>
            {d.kind === 'accepted' && (
              <Button component={Link} to={`/documents/${d.documentId}`} size="xs" variant="light">
                {t('arrivals.openReceived')}
              </Button>
            )}
          </Group>
        </Alert>
      ))}
      {error != null && <Alert color="red">{deliveryRefusal(error, t)}</Alert>}
      {arrivals.isLoading && <Loader role="status" aria-label={t('common.loading')} />}
      {arrivals.isError && <Alert color="red">{arrivals.error instanceof ApiError && arrivals.error.status === 403 ? t('common.forbidden') : t('common.error')}</Alert>}
      {arrivals.isSuccess && items.length === 0 && <Text c="dimmed">{t('arrivals.empty')}</Text>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={860}>
          <Table striped data-testid="arrivals-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('arrivals.urgency')}</Table.Th>
                <Table.Th>{t('arrivals.from')}</Table.Th>
                <Table.Th>{t('arrivals.letter')}</Table.Th>
                <Table.Th>{t('doc.subject')}</Table.Th>
                <Table.Th>{t('arrivals.files')}</Table.Th>
                <Table.Th>{t('arrivals.sentAt')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((d) => {
                const colour = URGENCY_COLOUR[d.letter.urgency] ?? URGENCY_COLOUR.normal;
                return (
                  <Table.Tr key={d.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Group gap={4} wrap="nowrap">
                        <Badge color={colour.color} variant={colour.variant}>
                          {d.letter.urgencyTh}
                        </Badge>
                        {d.letter.secrecy !== 'normal' && (
                          <Badge color="red" variant="outline">
                            {d.letter.secrecyTh}
                          </Badge>
                        )}
                      </Group>
                      {d.letter.urgentBy && <Text size="xs">{date(d.letter.urgentBy, 'shortDateTime')}</Text>}
                    </Table.Td>
                    <Table.Td>{d.sender.kind === 'citizen' ? <CitizenSender deliveryId={d.id} name={d.sender.name} /> : d.sender.name}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {d.letter.letterNumber ?? '—'}
                      <Text size="xs">{d.letter.letterDateTh ?? ''}</Text>
                    </Table.Td>
                    <Table.Td>
                      {d.letter.subject}
                      {d.role === 'copy' && (
                        <Text size="xs" c="dimmed">
                          {t('delivery.role.copy')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={2}>
                        {d.files.map((f) => (
                          <Button key={f.id} size="compact-xs" variant="subtle" onClick={() => setPreview({ delivery: d, file: f })} aria-label={`${t('doc.preview')} ${f.filename}`}>
                            {f.filename}
                          </Button>
                        ))}
                      </Stack>
                    </Table.Td>
                    <Table.Td>{date(d.sentAt, 'shortDateTime')}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        {d.may.accept && (
                          <Button size="xs" loading={busy(d)} onClick={() => accept.mutate(d)} aria-label={t('arrivals.acceptOf', { subject: d.letter.subject })}>
                            {t('arrivals.accept')}
                          </Button>
                        )}
                        {d.may.reject && (
                          <Button size="xs" variant="default" disabled={busy(d)} onClick={() => setRejecting(d)} aria-label={t('arrivals.rejectOf', { subject: d.letter.subject })}>
                            {t('arrivals.reject')}
                          </Button>
                        )}
                        {d.may.return && (
                          <Button size="xs" variant="default" color="orange" disabled={busy(d)} onClick={() => giveBack.mutate(d)} aria-label={t('arrivals.wrongOf', { subject: d.letter.subject })}>
                            {t('arrivals.wrong')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {preview && <FilePreview key={`${preview.delivery.id}-${preview.file.id}`} deliveryId={preview.delivery.id} file={preview.file} onClose={() => setPreview(null)} />}
      {rejecting && (
        <RejectDialog
          delivery={rejecting}
          onClose={() => setRejecting(null)}
          onDone={(d) => {
            setRejecting(null);
            setDone((prev) => [{ kind: 'rejected', subject: d.letter.subject }, ...prev]);
            void refresh();
          }}
        />
      )}
    </Stack>
  );
}

function RejectDialog({ delivery, onClose, onDone }: { delivery: Delivery; onClose: () => void; onDone: (d: Delivery) => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [short, setShort] = useState(false);
  const reject = useMutation({ mutationFn: () => api.post<Delivery>(`/deliveries/${delivery.id}/reject`, { reason: reason.trim() }), onSuccess: () => onDone(delivery) });
  const submit = () => {
    const tooShort = reason.trim().length < 3;
    setShort(tooShort);
    if (!tooShort) reject.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={t('arrivals.rejectTitle')}>
      <Stack>
        <Text size="sm">{delivery.letter.subject}</Text>
        <Textarea label={t('arrivals.reason')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={short ? t('arrivals.reasonRequired') : undefined} autosize minRows={2} maxLength={500} />
        {reject.isError && <Alert color="red">{deliveryRefusal(reject.error, t)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="red" onClick={submit} loading={reject.isPending}>
            {t('arrivals.reject')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** A file of an arrived letter, read through the delivery (the letter is not ours until accepted). */
function FilePreview({ deliveryId, file, onClose }: { deliveryId: number; file: DeliveryFile; onClose: () => void }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let made: string | null = null;
    let live = true;
    openBlob(`/deliveries/${deliveryId}/files/${file.id}`).then(
      (b) => {
        made = b.url;
        if (live) setUrl(b.url);
        else URL.revokeObjectURL(b.url);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [deliveryId, file.id]);
  const pdf = file.mime === 'application/pdf';
  const image = file.mime.startsWith('image/');
  return (
    <Stack gap="xs" data-testid="arrival-preview">
      <Group justify="space-between">
        <Text fw={600}>{file.filename}</Text>
        <Button variant="default" size="xs" onClick={onClose}>
          {t('common.close')}
        </Button>
      </Group>
      {failed && <Alert color="red">{t('doc.fileFailed')}</Alert>}
      {!url && !failed && <Loader size="sm" role="status" aria-label={t('common.loading')} />}
      {url && pdf && <iframe src={url} title={file.filename} style={{ width: '100%', height: '70vh', border: '1px solid var(--mantine-color-gray-4)' }} />}
      {url && image && <img src={url} alt={file.filename} style={{ maxWidth: '100%' }} />}
      {url && !pdf && !image && (
        <a href={url} download={file.filename}>
          {t('doc.download')} {file.filename}
        </a>
      )}
    </Stack>
  );
}
