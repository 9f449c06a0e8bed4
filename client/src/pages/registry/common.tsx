// Pieces shared by the registry pages: the organisation's registers, file pickers, and the
// message a refused request deserves (a file too large or of the wrong kind says so).
import { useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Input, NativeSelect } from '@mantine/core';
import { api, ApiError } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { useI18n, type Translate } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import type { Register } from '../../components/document/types';

export const useRegisters = () => useQuery({ queryKey: ['registers'], queryFn: () => api.get<{ items: Register[] }>('/registers'), select: (d) => d.items });

export const useIsClerk = () => useAuth().me?.user.roles?.includes('registry_clerk') ?? false;
/** The secrets custodian (นายทะเบียนเอกสารลับ) registers secret letters, in the secret register. */
export const useIsCustodian = () => useAuth().me?.user.roles?.includes('secrets_custodian') ?? false;

/** The books a letter may be numbered in: a secret one only in the secret register, others never there. */
export const booksFor = (registers: Register[], secrecy: string) => registers.filter((r) => r.active && (r.kind === 'secret') === (secrecy !== 'normal'));

export function RegisterSelect({ registers, value, onChange, label = 'registry.register' }: { registers: Register[]; value: number | null; onChange: (id: number) => void; label?: MessageKey }) {
  const { t } = useI18n();
  return (
    <NativeSelect
      label={t(label)}
      value={value == null ? '' : String(value)}
      onChange={(e) => onChange(Number(e.currentTarget.value))}
      data={registers.map((r) => ({ value: String(r.id), label: r.nameTh }))}
      maw={520}
    />
  );
}

const ACCEPT = '.pdf,image/*,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp';

export function FilePicker({ id, label, multiple, onChange, error }: { id: string; label: string; multiple?: boolean; onChange: (files: File[]) => void; error?: string }) {
  return (
    <Input.Wrapper label={label} labelProps={{ htmlFor: id }} error={error}>
      <div>
        <input id={id} type="file" accept={ACCEPT} multiple={multiple} onChange={(e) => onChange(Array.from(e.currentTarget.files ?? []))} />
      </div>
    </Input.Wrapper>
  );
}

/** What went wrong, in the user's language, with the server's own words where they say more. */
export function refusal(error: unknown, t: Translate): string | null {
  if (!error) return null;
  if (!(error instanceof ApiError)) return t('common.error');
  if (error.status === 413) return `${t('registry.fileTooLarge')} (${error.message})`;
  if (error.status === 415) return `${t('registry.fileType')} (${error.message})`;
  if (error.status === 409) return `${t('registry.conflict')} (${error.message})`;
  if (error.status === 422 || error.status === 400) return `${t('common.fixErrors')} ${error.message}`;
  if (error.status === 403) return t('common.forbidden');
  return `${t('common.error')} (${error.message})`;
}

/**
 * One run at a time: a second click while a submission is under way joins it instead of sending
 * it again (React has not re-rendered the button as busy yet when a double click lands).
 */
export function useSingleFlight<T>(run: () => Promise<T>): () => Promise<T> {
  const running = useRef<Promise<T> | null>(null);
  return () =>
    (running.current ??= run().finally(() => {
      running.current = null;
    }));
}

/** This B.E. year (Bangkok) and the ten before it: registers restart their numbers every year. */
export function recentYears(): number[] {
  const now = Number(new Intl.DateTimeFormat('en-u-ca-buddhist', { year: 'numeric', timeZone: 'Asia/Bangkok' }).format(new Date()).replace(/\D/g, ''));
  return Array.from({ length: 11 }, (_, i) => now - i);
}
