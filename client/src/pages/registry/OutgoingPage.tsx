// ร่างหนังสือส่ง: draft an outgoing letter, edit it (each save is a new version; an edit over a
// newer version is refused with 409), attach its files, and number it in a register when ready:
// the server gives the letter number (ที่) and date, and the letter is frozen from then on.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Divider, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api, fieldErrors } from '../../lib/api';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { Attachments } from '../../components/document/Attachments';
import { LetterMarks } from '../../components/document/DocumentView';
import { LetterLivePreview, LetterPdf } from '../../components/document/LetterPdf';
import { documentKeys, useDocument } from '../../components/document/queries';
import { uploadFiles } from '../../components/document/files';
import type { DocumentRecord, Register } from '../../components/document/types';
import { emptyLetter, letterBody, LetterFields, letterValues, type LetterValues } from './LetterForm';
import { booksFor, FilePicker, refusal, useRegisters, useSingleFlight } from './common';
import { TakeNumber } from './TakeNumber';

/** The registers a draft may be numbered in (the server's rules: orders only in the order series, secret letters only in the secret register). */
function fitting(registers: Register[], doc: DocumentRecord): Register[] {
  return booksFor(registers, doc.secrecy).filter((r) => r.kind !== 'incoming' && (r.kind !== 'order' || (doc.type === 'directive' && doc.subType === 'order')));
}

export function NewDraftPage() {
  const { t, date } = useI18n();
  const navigate = useNavigate();
  const [values, setValues] = useState(() => emptyLetter('outgoing'));
  const createOnce = useSingleFlight(() => api.post<DocumentRecord>('/documents', { direction: 'outgoing', ...letterBody(values, 'outgoing') }));
  const create = useMutation({
    mutationFn: createOnce,
    onSuccess: (doc) => navigate(`/registry/outgoing/${doc.id}`),
  });
  const recent = useQuery({ queryKey: ['search', 'outgoing-recent'], queryFn: () => api.get<{ items: DocumentRecord[] }>('/search/documents?direction=outgoing&limit=20') });
  const problem = refusal(create.error, t);
  return (
    <Stack maw={900}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Stack>
          <Title order={2}>{t('registry.outgoing.title')}</Title>
          <LetterFields direction="outgoing" values={values} onChange={setValues} errors={fieldErrors(create.error)} />
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={create.isPending}>
              {t('registry.outgoing.create')}
            </Button>
          </Group>
        </Stack>
      </form>
      <LetterLivePreview fields={letterBody(values, 'outgoing')} />
      <Divider />
      <Title order={3} size="h4">
        {t('registry.outgoing.recent')}
      </Title>
      <Table.ScrollContainer minWidth={560}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('doc.letterNumber')}</Table.Th>
              <Table.Th>{t('doc.subject')}</Table.Th>
              <Table.Th>{t('doc.status')}</Table.Th>
              <Table.Th>{t('doc.updated')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(recent.data?.items ?? []).map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>{d.letterNumber ?? '—'}</Table.Td>
                <Table.Td>
                  <Link to={`/registry/outgoing/${d.id}`}>{d.subject}</Link>
                </Table.Td>
                <Table.Td>{t(`doc.status.${d.status}` as MessageKey)}</Table.Td>
                <Table.Td>{date(d.updatedAt, 'short')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

interface Version {
  version: number;
  createdAt: string;
  content: { subject?: string };
}

export function DraftPage() {
  const { id } = useParams();
  const documentId = Number(id);
  const { t, date, locale } = useI18n();
  const queryClient = useQueryClient();
  const doc = useDocument(documentId);
  const registers = useRegisters();
  const versions = useQuery({ queryKey: documentKeys.versions(documentId), queryFn: () => api.get<{ items: Version[] }>(`/documents/${documentId}/versions`) });
  const [values, setValues] = useState<LetterValues | null>(null);
  const [registerId, setRegisterId] = useState<number | null>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [enclosureFiles, setEnclosureFiles] = useState<File[]>([]);
  const [fileKey, setFileKey] = useState(0);
  useEffect(() => {
    if (doc.data && values == null) setValues(letterValues(doc.data));
  }, [doc.data, values]);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: documentKeys.all(documentId) });

  // The version sent makes a repeated save a 409 rather than a second version; one flight avoids even that.
  const saveOnce = useSingleFlight(() => api.patch<DocumentRecord>(`/documents/${documentId}`, { version: doc.data!.version, ...letterBody(values!, 'outgoing') }));
  const save = useMutation({
    mutationFn: saveOnce,
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('registry.outgoing.saved') });
      refresh();
    },
  });
  const upload = useMutation({
    mutationFn: async () => {
      if (files.length) await uploadFiles(documentId, 'main', files);
      if (enclosureFiles.length) await uploadFiles(documentId, 'enclosure', enclosureFiles);
    },
    onSuccess: () => {
      setFiles([]);
      setEnclosureFiles([]);
      setFileKey((k) => k + 1);
      refresh();
    },
  });

  if (doc.isLoading || !values) return <Loader role="status" aria-label={t('common.loading')} />;
  if (doc.isError || !doc.data) return <Alert color="red">{t('doc.notFound')}</Alert>;
  const d = doc.data;
  const books = fitting(registers.data ?? [], d);
  const target = registerId ?? books.find((r) => r.kind === 'outgoing')?.id ?? books[0]?.id ?? null;
  const frozen = d.status !== 'draft';

  return (
    <Stack maw={900} data-testid="draft-page">
      <Group justify="space-between" align="end">
        <Title order={2}>{frozen ? t('registry.outgoing.numbered') : t('registry.outgoing.edit')}</Title>
        <Button component={Link} to={`/documents/${d.id}`} variant="light">
          {t('registry.openDocument')}
        </Button>
      </Group>
      <LetterMarks doc={d} />
      <Text size="sm">
        {t('doc.status')}: {t(`doc.status.${d.status}` as MessageKey)} · {t('registry.outgoing.version', { version: d.version })}
      </Text>
      {frozen && d.registration && (
        <Alert color="green" data-testid="numbered">
          <Text fw={700} fz="lg">
            {t('doc.letterNumber')} {d.letterNumber} · {t('doc.letterDate')} {d.letterDateTh}
          </Text>
          <Text size="sm">
            {t('registry.registerNumber')} {d.registration.number}/{d.registration.year} — {locale === 'th' ? `${d.registration.dateTh} ${d.registration.timeTh}` : date(d.registration.registeredAt, 'shortDateTime')}
          </Text>
        </Alert>
      )}
      {!frozen && (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <Stack>
            <LetterFields direction="outgoing" values={values} onChange={setValues} errors={fieldErrors(save.error)} />
            {save.error && (
              <Alert color="red" role="alert">
                {refusal(save.error, t)}
              </Alert>
            )}
            <Group>
              <Button type="submit" loading={save.isPending}>
                {t('registry.outgoing.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {!frozen && <LetterLivePreview fields={{ ...letterBody(values, 'outgoing'), ...(d.unitId ? { unitId: d.unitId } : {}) }} />}
      {frozen && <LetterPdf documentId={d.id} version={d.version} subject={d.subject} />}
      <Divider />
      <Attachments documentId={d.id} />
      {!frozen && (
        <Group align="end" wrap="wrap" key={fileKey}>
          <FilePicker id="draft-file" label={t('doc.mainFile')} onChange={setFiles} />
          <FilePicker id="draft-enclosure-files" label={t('doc.enclosureFiles')} multiple onChange={setEnclosureFiles} />
          <Button variant="light" disabled={!files.length && !enclosureFiles.length} loading={upload.isPending} onClick={() => upload.mutate()}>
            {t('registry.upload')}
          </Button>
        </Group>
      )}
      {upload.error && (
        <Alert color="red" role="alert">
          {refusal(upload.error, t)}
        </Alert>
      )}
      {!frozen && (
        <>
          <Divider />
          <Title order={3} size="h4">
            {t('registry.outgoing.number')}
          </Title>
          <Text size="sm">{t('registry.outgoing.numberHint')}</Text>
          {registers.isSuccess && books.length === 0 && d.secrecy !== 'normal' && <Alert color="yellow">{t('registry.secret.custodianOnly')}</Alert>}
          <TakeNumber doc={d} values={values} books={books} target={target} onTarget={setRegisterId} save={() => save.mutateAsync()} busy={save.isPending} onNumbered={refresh} />
        </>
      )}
      <Divider />
      <Title order={3} size="h5">
        {t('registry.outgoing.versions')}
      </Title>
      <Table.ScrollContainer minWidth={400}>
        <Table>
          <Table.Tbody>
            {(versions.data?.items ?? []).map((v) => (
              <Table.Tr key={v.version}>
                <Table.Td>{t('registry.outgoing.version', { version: v.version })}</Table.Td>
                <Table.Td>{date(v.createdAt, 'shortDateTime')}</Table.Td>
                <Table.Td>{v.content.subject ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
