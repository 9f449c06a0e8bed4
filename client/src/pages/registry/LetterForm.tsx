// The fields of a letter as the regulation names them, for an incoming letter being registered
// and an outgoing letter being drafted. Dates are picked as calendar days and shown in B.E.; the
// server's 422 issues appear next to their fields.
import { ActionIcon, Alert, Button, Fieldset, Group, NativeSelect, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useI18n } from '../../i18n';
import { ThaiDateInput } from '../../components/ThaiDateInput';
import type { MessageKey } from '../../i18n/messages';
import { DOCUMENT_TYPES, SECRECIES, SUBTYPES, URGENCIES, type DocumentRecord, type DocumentType, type LetterReference } from '../../components/document/types';

export interface LetterValues {
  type: DocumentType; subType: string; letterNumber: string; letterDate: string; subject: string; senderName: string; addressee: string; salutation: string;
  references: LetterReference[]; enclosures: string; urgency: string; urgentBy: string; secrecy: string;
  body: string; closing: string; signerName: string; signerPosition: string; contact: string; copiesTo: string;
}

export const emptyLetter = (direction: 'incoming' | 'outgoing'): LetterValues => ({
  type: 'external', subType: '', letterNumber: '', letterDate: '', subject: '', senderName: '', addressee: '', salutation: 'เรียน',
  references: [], enclosures: '', urgency: 'normal', urgentBy: '', secrecy: 'normal', body: '', closing: direction === 'outgoing' ? 'ขอแสดงความนับถือ' : '',
  signerName: '', signerPosition: '', contact: '', copiesTo: '',
});

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);
const orNull = (text: string) => (text.trim() ? text.trim() : null);
/** A datetime-local value is a Bangkok wall-clock time. */
const bangkokInstant = (local: string) => (local ? `${local.length === 16 ? `${local}:00` : local}+07:00` : null);
const bangkokLocal = (iso: string | null) => (iso ? new Date(new Date(iso).getTime() + 7 * 3600e3).toISOString().slice(0, 16) : '');

/** The request body the documents API takes (create or edit). */
export function letterBody(v: LetterValues, direction: 'incoming' | 'outgoing') {
  const common = {
    type: v.type, subType: SUBTYPES[v.type].length ? v.subType || null : null, subject: v.subject.trim(), letterNumber: orNull(v.letterNumber), letterDate: v.letterDate || null,
    addressee: orNull(v.addressee), salutation: orNull(v.salutation), urgency: v.urgency, urgentBy: v.urgency === 'deadline' ? bangkokInstant(v.urgentBy) : null, secrecy: v.secrecy,
    references: v.references.filter((r) => r.owner.trim() || r.number.trim()).map((r) => ({ owner: r.owner.trim(), number: r.number.trim(), ...(r.date ? { date: r.date } : {}) })),
    enclosures: lines(v.enclosures),
  };
  if (direction === 'incoming') return { ...common, senderName: orNull(v.senderName) };
  return {
    ...common, body: orNull(v.body), closing: orNull(v.closing), signerName: orNull(v.signerName), signerPosition: orNull(v.signerPosition), contact: orNull(v.contact), copiesTo: lines(v.copiesTo),
  };
}

export function letterValues(d: DocumentRecord): LetterValues {
  return {
    type: d.type, subType: d.subType ?? '', letterNumber: d.letterNumber ?? '', letterDate: d.letterDate ?? '', subject: d.subject, senderName: d.senderName ?? '', addressee: d.addressee ?? '',
    salutation: d.salutation ?? '', references: d.references.map((r) => ({ owner: r.owner, number: r.number, date: r.date ?? '' })), enclosures: d.enclosures.join('\n'), urgency: d.urgency,
    urgentBy: bangkokLocal(d.urgentBy), secrecy: d.secrecy, body: d.body ?? '', closing: d.closing ?? '', signerName: d.signerName ?? '', signerPosition: d.signerPosition ?? '',
    contact: d.contact ?? '', copiesTo: d.copiesTo.join('\n'),
  };
}

interface Props {
  direction: 'incoming' | 'outgoing';
  values: LetterValues;
  onChange: (next: LetterValues) => void;
  errors: Record<string, string>;
}

export function LetterFields({ direction, values: v, onChange, errors }: Props) {
  const { t } = useI18n();
  const set = <K extends keyof LetterValues>(key: K, value: LetterValues[K]) => onChange({ ...v, [key]: value });
  const text = (key: 'letterNumber' | 'subject' | 'senderName' | 'addressee' | 'salutation' | 'closing' | 'signerName' | 'signerPosition' | 'contact', label: MessageKey, required = false) => (
    <TextInput label={t(label)} name={key} withAsterisk={required} value={v[key]} error={errors[key]} onChange={(e) => set(key, e.currentTarget.value)} />
  );
  const subTypes = SUBTYPES[v.type];
  const setReference = (i: number, patch: Partial<LetterReference>) => set('references', v.references.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NativeSelect
          label={t('doc.type')}
          name="type"
          value={v.type}
          error={errors.type}
          onChange={(e) => onChange({ ...v, type: e.currentTarget.value as DocumentType, subType: '' })}
          data={DOCUMENT_TYPES.map((x) => ({ value: x, label: t(`doc.type.${x}` as MessageKey) }))}
        />
        {subTypes.length > 0 && (
          <NativeSelect
            label={t('doc.subType')}
            name="subType"
            withAsterisk
            value={v.subType}
            error={errors.subType}
            onChange={(e) => set('subType', e.currentTarget.value)}
            data={[{ value: '', label: t('validation.choose') }, ...subTypes.map((x) => ({ value: x, label: t(`doc.subType.${x}` as MessageKey) }))]}
          />
        )}
        {text('letterNumber', 'doc.letterNumber', direction === 'incoming')}
        <ThaiDateInput label={t('doc.letterDate')} name="letterDate" value={v.letterDate} error={errors.letterDate} onChange={(value) => set('letterDate', value)} />
      </SimpleGrid>
      {text('subject', 'doc.subject', true)}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {direction === 'incoming' && text('senderName', 'doc.from', true)}
        {text('salutation', 'doc.salutation')}
        {text('addressee', 'doc.to')}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NativeSelect
          label={t('doc.urgency')}
          name="urgency"
          value={v.urgency}
          error={errors.urgency}
          onChange={(e) => set('urgency', e.currentTarget.value)}
          data={URGENCIES.map((x) => ({ value: x, label: t(`doc.urgency.${x}` as MessageKey) }))}
        />
        {v.urgency === 'deadline' && (
          <ThaiDateInput withTime label={t('doc.urgentBy')} name="urgentBy" withAsterisk value={v.urgentBy} error={errors.urgentBy} onChange={(value) => set('urgentBy', value)} />
        )}
        <NativeSelect
          label={t('doc.secrecy')}
          name="secrecy"
          value={v.secrecy}
          error={errors.secrecy}
          description={t('doc.topSecretRefused')}
          onChange={(e) => set('secrecy', e.currentTarget.value)}
          data={SECRECIES.map((x) => ({ value: x, label: t(`doc.secrecy.${x}` as MessageKey) }))}
        />
      </SimpleGrid>
      <Fieldset legend={t('doc.references')}>
        <Stack gap="xs">
          {v.references.map((r, i) => (
            <Group key={i} align="end" gap="xs" wrap="wrap">
              <TextInput label={`${t('doc.refOwner')} ${i + 1}`} value={r.owner} error={errors[`references.${i}.owner`]} onChange={(e) => setReference(i, { owner: e.currentTarget.value })} />
              <TextInput label={`${t('doc.refNumber')} ${i + 1}`} value={r.number} error={errors[`references.${i}.number`]} onChange={(e) => setReference(i, { number: e.currentTarget.value })} />
              <ThaiDateInput label={`${t('doc.refDate')} ${i + 1}`} value={r.date ?? ''} error={errors[`references.${i}.date`]} onChange={(value) => setReference(i, { date: value })} />
              <ActionIcon variant="default" size="lg" aria-label={`${t('doc.removeReference')} ${i + 1}`} onClick={() => set('references', v.references.filter((_, j) => j !== i))}>
                ×
              </ActionIcon>
            </Group>
          ))}
          <Group>
            <Button variant="light" size="xs" onClick={() => set('references', [...v.references, { owner: '', number: '', date: '' }])}>
              {t('doc.addReference')}
            </Button>
          </Group>
        </Stack>
      </Fieldset>
      <Textarea label={t('doc.enclosures')} description={t('doc.onePerLine')} name="enclosures" autosize minRows={2} value={v.enclosures} error={errors.enclosures} onChange={(e) => set('enclosures', e.currentTarget.value)} />
      {direction === 'outgoing' && (
        <>
          <Textarea label={t('doc.body')} name="body" autosize minRows={6} value={v.body} error={errors.body} onChange={(e) => set('body', e.currentTarget.value)} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {text('closing', 'doc.closing')}
            {text('signerName', 'doc.signerName')}
            {text('signerPosition', 'doc.signerPosition')}
            {text('contact', 'doc.contact')}
          </SimpleGrid>
          <Textarea label={t('doc.copiesTo')} description={t('doc.onePerLine')} name="copiesTo" autosize minRows={2} value={v.copiesTo} error={errors.copiesTo} onChange={(e) => set('copiesTo', e.currentTarget.value)} />
        </>
      )}
      {errors.secrecy && v.secrecy !== 'normal' && (
        <Alert color="red" role="alert">
          <Text size="sm">{errors.secrecy}</Text>
        </Alert>
      )}
    </Stack>
  );
}

/** A key for one submission of a form: a retry or a second click sends the same key. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
