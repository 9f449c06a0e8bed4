// ลงทะเบียนรับ: enter an incoming letter, attach its files, and take the next number of the
// incoming register (a secret letter: of the secret register, by the secrets custodian), which
// starts the letter's routing on the server. One submission is one
// idempotency key: a second click or a retry after a lost answer gets the same number back.
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { api, fieldErrors } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { useI18n } from '../../i18n';
import { ReceiveStamp } from '../../components/document/ReceiveStamp';
import { LetterMarks } from '../../components/document/DocumentView';
import { uploadFiles } from '../../components/document/files';
import type { DocumentRecord, RegistrationResult } from '../../components/document/types';
import { emptyLetter, letterBody, LetterFields, newIdempotencyKey } from './LetterForm';
import { booksFor, FilePicker, refusal, RegisterSelect, useIsClerk, useRegisters, useSingleFlight } from './common';

interface Attempt {
  key: string;
  documentId: number | null;
  sent: string | null;
  uploaded: Set<File>;
}
const freshAttempt = (): Attempt => ({ key: newIdempotencyKey(), documentId: null, sent: null, uploaded: new Set() });

export function IncomingPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const registers = useRegisters();
  const [values, setValues] = useState(() => emptyLetter('incoming'));
  const secret = values.secrecy !== 'normal';
  // The secrets custodian may come here without being a registry clerk: then only secret letters
  // (a normal one is the clerk's to register), said before anything is typed rather than after.
  const clerk = useIsClerk();
  const secretOnly = !clerk && !secret;
  const incoming = booksFor(registers.data ?? [], values.secrecy).filter((r) => r.kind === 'incoming' || r.kind === 'secret');
  const [registerId, setRegisterId] = useState<number | null>(null);
  const chosen = incoming.find((r) => r.id === registerId)?.id ?? incoming[0]?.id ?? null;
  const [mainFiles, setMainFiles] = useState<File[]>([]);
  const [enclosureFiles, setEnclosureFiles] = useState<File[]>([]);
  const [formKey, setFormKey] = useState(0);
  const attempt = useRef<Attempt>(freshAttempt());
  const [done, setDone] = useState<DocumentRecord | null>(null);

  const submitOnce = useSingleFlight(async () => {
    const a = attempt.current;
    const body = letterBody(values, 'incoming');
    const json = JSON.stringify(body);
    // A retry after a failed upload or a lost answer continues with the letter already entered.
    if (a.documentId == null) {
      a.documentId = (await api.post<DocumentRecord>('/documents', { direction: 'incoming', ...body })).id;
      a.sent = json;
    } else if (a.sent !== json) {
      await api.patch<DocumentRecord>(`/documents/${a.documentId}`, body);
      a.sent = json;
    }
    for (const [role, files] of [['main', mainFiles], ['enclosure', enclosureFiles]] as const) {
      const pending = files.filter((f) => !a.uploaded.has(f));
      if (!pending.length) continue;
      await uploadFiles(a.documentId, role, pending);
      for (const f of pending) a.uploaded.add(f);
    }
    const result = await api.post<RegistrationResult>(`/registers/${chosen}/entries`, { documentId: a.documentId, idempotencyKey: a.key });
    return result.document!;
  });
  const submit = useMutation({ mutationFn: submitOnce, onSuccess: setDone });

  const next = () => {
    attempt.current = freshAttempt();
    setValues(emptyLetter('incoming'));
    setMainFiles([]);
    setEnclosureFiles([]);
    setFormKey((k) => k + 1);
    setDone(null);
    submit.reset();
  };

  if (done?.registration) {
    return (
      <Stack data-testid="incoming-done">
        <Title order={2}>{t('registry.incoming.done')}</Title>
        <ReceiveStamp registration={done.registration} agency={me?.organisation.nameTh ?? ''} />
        <Paper withBorder p="md">
          <LetterMarks doc={done} />
          <Text fw={600}>{done.subject}</Text>
          <Text size="sm">
            {done.letterNumber ?? '—'} · {done.senderName ?? '—'}
          </Text>
        </Paper>
        <Text size="sm">{t('registry.incoming.routed')}</Text>
        <Group>
          <MyScreeningTask documentId={done.id} subject={done.subject} />
          <Button component={Link} to={`/documents/${done.id}`} variant="light">
            {t('registry.openDocument')}
          </Button>
          <Button onClick={next}>{t('registry.incoming.next')}</Button>
        </Group>
      </Stack>
    );
  }

  const errors = fieldErrors(submit.error);
  const problem = refusal(submit.error, t);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit.mutate();
      }}
    >
      <Stack maw={900}>
        <Title order={2}>{t('registry.incoming.title')}</Title>
        {incoming.length > 1 && <RegisterSelect registers={incoming} value={chosen} onChange={setRegisterId} />}
        {registers.isSuccess && incoming.length === 0 && (
          <Alert color={secret ? 'yellow' : 'red'} data-testid="no-register">
            {t(secret ? 'registry.secret.custodianOnly' : 'registry.noRegister')}
          </Alert>
        )}
        {secretOnly && (
          <Alert color="yellow" data-testid="secret-only">
            {t('registry.secret.custodianEntersSecretOnly')}
          </Alert>
        )}
        <LetterFields direction="incoming" values={values} onChange={setValues} errors={errors} />
        <Group key={formKey} align="start" gap="xl" wrap="wrap">
          <FilePicker id="incoming-main-file" label={t('doc.mainFile')} onChange={setMainFiles} />
          <FilePicker id="incoming-enclosure-files" label={t('doc.enclosureFiles')} multiple onChange={setEnclosureFiles} />
        </Group>
        {problem && (
          <Alert color="red" role="alert" data-testid="form-error">
            {problem}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={submit.isPending} disabled={chosen == null || secretOnly}>
            {t('registry.incoming.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The routing just started gives the letter's first step (ตรวจและสรุปเรื่อง) to the registry: a link straight to it. */
function MyScreeningTask({ documentId, subject }: { documentId: number; subject: string }) {
  const { t } = useI18n();
  const tasks = useQuery({
    queryKey: ['tasks', 'of-document', documentId],
    queryFn: () => api.get<{ items: Array<{ id: number; documentId: number | null }> }>(`/tasks?limit=20&q=${encodeURIComponent(subject.slice(0, 100))}`),
    select: (d) => d.items.find((task) => task.documentId === documentId),
    // The routing may still be making the step when the number comes back: look again briefly.
    refetchInterval: (q) => (q.state.data?.items.some((task) => task.documentId === documentId) || q.state.dataUpdateCount > 15 ? false : 1000),
  });
  if (!tasks.data) return null;
  return (
    <Button component={Link} to={`/inbox/${tasks.data.id}`} data-testid="my-screening-task">
      {t('actions.myScreening')}
    </Button>
  );
}
