// "แผนภาพใหม่": the designer names the process and gives the id it deploys under (it used to
// deploy every new diagram as `new_process`). The id is checked here as the server checks it.
import { useState } from 'react';
import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { PROCESS_ID } from './newDiagram';

/** Ids the starting diagram's own elements use. */
const RESERVED = new Set(['start', 'start_di', 'Definitions_1', 'BPMNDiagram_1', 'BPMNPlane_1']);

export function processIdError(id: string, deployedKeys: string[]): MessageKey | null {
  if (!PROCESS_ID.test(id)) return 'modeler.processIdInvalid';
  if (RESERVED.has(id)) return 'modeler.processIdReserved';
  if (deployedKeys.includes(id)) return 'modeler.processIdTaken';
  return null;
}

export function NewProcessDialog({ deployedKeys, onCreate, onClose }: { deployedKeys: string[]; onCreate: (id: string, name: string) => void; onClose: () => void }) {
  const { t } = useI18n();
  const [id, setId] = useState('');
  const [name, setName] = useState(t('modeler.processNameDefault'));
  const [touched, setTouched] = useState(false);
  const error = processIdError(id.trim(), deployedKeys);
  const submit = () => {
    setTouched(true);
    if (!error) onCreate(id.trim(), name.trim() || t('modeler.processNameDefault'));
  };
  return (
    <Modal opened onClose={onClose} title={t('modeler.newTitle')} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          <TextInput label={t('modeler.processName')} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={255} />
          <TextInput
            label={t('modeler.processId')}
            description={t('modeler.processIdHint')}
            required
            data-autofocus
            value={id}
            onChange={(e) => setId(e.currentTarget.value)}
            onBlur={() => setTouched(true)}
            error={touched && error ? t(error) : null}
            spellCheck={false}
            autoComplete="off"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit">{t('modeler.create')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
