// ออกเลข: numbering freezes the letter and uses up a number for good, so it never happens over
// unsaved edits (they are saved first, as a new version, and a refused save stops the numbering)
// and never without the clerk seeing which register and which subject it is for.
import { useRef, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { api } from '../../lib/api';
import { useI18n } from '../../i18n';
import type { DocumentRecord, Register, RegistrationResult } from '../../components/document/types';
import { letterBody, letterValues, newIdempotencyKey, type LetterValues } from './LetterForm';
import { refusal, RegisterSelect } from './common';

interface Props {
  doc: DocumentRecord;
  values: LetterValues;
  books: Register[];
  target: number | null;
  onTarget: (id: number) => void;
  /** Saves the edits as a new version; rejects when the server refuses them. */
  save: () => Promise<unknown>;
  busy: boolean;
  onNumbered: () => void;
}

/** Whether the form holds edits the server does not have. */
export const hasUnsavedEdits = (doc: DocumentRecord, values: LetterValues) =>
  JSON.stringify(letterBody(values, 'outgoing')) !== JSON.stringify(letterBody(letterValues(doc), 'outgoing'));

export function TakeNumber({ doc, values, books, target, onTarget, save, busy, onNumbered }: Props) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const key = useRef(newIdempotencyKey());
  const unsaved = hasUnsavedEdits(doc, values);
  const book = books.find((b) => b.id === target);
  const number = useMutation({
    mutationFn: async () => {
      if (target == null) return;
      if (hasUnsavedEdits(doc, values)) await save();
      await api.post<RegistrationResult>(`/registers/${target}/entries`, { documentId: doc.id, idempotencyKey: key.current });
    },
    onSuccess: () => {
      setAsking(false);
      onNumbered();
    },
  });
  return (
    <>
      <Group align="end">
        <RegisterSelect registers={books} value={target} onChange={onTarget} />
        <Button color="green" disabled={target == null || busy} onClick={() => setAsking(true)}>
          {t('registry.outgoing.takeNumber')}
        </Button>
      </Group>
      {unsaved && (
        <Text size="sm" c="orange.9" data-testid="unsaved-edits">
          {t('number.unsavedHint')}
        </Text>
      )}
      <Modal opened={asking} onClose={() => !number.isPending && setAsking(false)} title={t('number.confirmTitle')} centered>
        <Stack>
          <Text>
            <b>{t('registry.register')}:</b> {book?.nameTh ?? '—'}
          </Text>
          <Text data-testid="number-subject">
            <b>{t('doc.subject')}:</b> {values.subject.trim() || doc.subject}
          </Text>
          {unsaved && (
            <Alert color="orange" data-testid="number-saves-first">
              {t('number.savesFirst')}
            </Alert>
          )}
          <Text size="sm">{t('registry.outgoing.numberHint')}</Text>
          {number.error && (
            <Alert color="red" role="alert">
              {refusal(number.error, t)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" disabled={number.isPending} onClick={() => setAsking(false)}>
              {t('common.cancel')}
            </Button>
            <Button color="green" loading={number.isPending} onClick={() => !number.isPending && number.mutate()}>
              {t(unsaved ? 'number.saveAndTake' : 'registry.outgoing.takeNumber')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
