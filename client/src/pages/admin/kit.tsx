// Shared pieces of the admin pages: which organisation is administered, lists, and forms
// whose server validation errors appear next to their fields.
import { useMemo, useState, type CSSProperties, type Key, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Group, Modal, NativeSelect, Stack, Table, Title } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { StatusBadge } from '../../components/StatusBadge';
import { api, ApiError, fieldErrors } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { useI18n } from '../../i18n';
import type { List, Organisation } from '../../lib/types';
import type { MessageKey } from '../../i18n/messages';

export function useList<T>(path: string | null) {
  return useQuery({ queryKey: [path], queryFn: () => api.get<List<T>>(path!), enabled: path != null, select: (d) => d.items });
}

/** The organisations I administer: mine and those below it. */
export function useAdministeredOrganisations() {
  const { me } = useAuth();
  const all = useList<Organisation>('/organisations');
  const items = useMemo(() => {
    if (!all.data || !me) return [];
    const below = new Set([me.organisation.id]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const o of all.data) {
        if (o.parentId != null && below.has(o.parentId) && !below.has(o.id)) {
          below.add(o.id);
          grew = true;
        }
      }
    }
    return all.data.filter((o) => below.has(o.id));
  }, [all.data, me]);
  return { items, isLoading: all.isLoading };
}

/** The organisation chosen on the admin pages (?org=…), mine by default. */
export function useAdminOrg(): { orgId: number; select: ReactNode } {
  const { me } = useAuth();
  const { t, locale } = useI18n();
  const [params, setParams] = useSearchParams();
  const { items } = useAdministeredOrganisations();
  const orgId = Number(params.get('org')) || me!.organisation.id;
  const select =
    items.length > 1 ? (
      <NativeSelect
        label={t('common.organisationSelect')}
        value={String(orgId)}
        onChange={(e) => setParams({ org: e.currentTarget.value })}
        data={items.map((o) => ({ value: String(o.id), label: (locale === 'en' && o.nameEn) || o.nameTh }))}
        maw={480}
      />
    ) : null;
  return { orgId, select };
}

export function PageHeader({ title, action, children }: { title: string; action?: ReactNode; children?: ReactNode }) {
  return (
    <Stack gap="xs" mb="md">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>{title}</Title>
        {action}
      </Group>
      {children}
    </Stack>
  );
}

/** What went wrong, said first in the user's language, then the server's own words. */
export function errorText(error: unknown, t: ReturnType<typeof useI18n>['t']): string {
  if (error instanceof ApiError) {
    const said: Partial<Record<number, MessageKey>> = { 403: 'common.forbidden', 404: 'common.notFound', 409: 'error.conflict', 413: 'error.tooLarge', 429: 'error.tooMany' };
    const key = said[error.status] ?? (error.status >= 500 ? 'error.server' : undefined);
    return key ? `${t(key)} (${error.message})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export function QueryError({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <Alert color="red" title={t('common.error')} role="alert">
      {errorText(error, t)}
    </Alert>
  );
}

/**
 * Submits a form to the server; on a 4xx with details, puts each message next to its field
 * (details[].path or .field) and any other message above the form.
 */
export function useSubmit<V, R>(form: UseFormReturnType<V>, send: (values: V) => Promise<R>, options: { invalidate: string[]; onDone: (result: R) => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: send,
    onSuccess: async (result) => {
      setFormError(null);
      await Promise.all(options.invalidate.map((p) => queryClient.invalidateQueries({ queryKey: [p] })));
      notifications.show({ color: 'green', message: t('common.saved') });
      options.onDone(result);
    },
    onError: (error) => {
      const byField = fieldErrors(error);
      const known = Object.keys(byField).filter((k) => k in (form.getValues() as object));
      form.setErrors(Object.fromEntries(known.map((k) => [k, byField[k]])));
      const rest = Object.entries(byField).filter(([k]) => !known.includes(k)).map(([k, m]) => `${k}: ${m}`);
      const summary = known.length ? (error instanceof ApiError && error.status === 409 ? t('error.conflict') : t('common.fixErrors')) : errorText(error, t);
      setFormError([summary, ...rest].join(' · '));
    },
  });
  const onSubmit = form.onSubmit((values) => mutation.mutate(values));
  return { onSubmit, busy: mutation.isPending, formError, reset: () => setFormError(null) };
}

/** A modal form; takes what useSubmit returns as it is (`{...submit}`). */
export function FormModal({ opened, onClose, title, onSubmit, busy, formError, children }: {
  opened: boolean; onClose: () => void; title: string; onSubmit: (e?: React.FormEvent<HTMLFormElement>) => void; busy: boolean; formError: string | null; reset?: () => void; children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="lg">
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          {formError && (
            <Alert color="red" role="alert" data-testid="form-error">
              {formError}
            </Alert>
          )}
          {children}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Empty strings from text inputs go to the server as null (optional fields). */
export function nullIfEmpty<T extends Record<string, unknown>>(values: T, keys: (keyof T)[]): T {
  const out = { ...values };
  for (const k of keys) if (out[k] === '') (out as Record<string, unknown>)[k as string] = null;
  return out;
}

/** Client-side checks with messages in the user's language; the server checks everything again. */
export function requiredFields<V>(t: ReturnType<typeof useI18n>['t'], keys: (keyof V)[], choose: (keyof V)[] = []) {
  const rules: Partial<Record<keyof V, (value: unknown) => string | null>> = {};
  for (const k of keys) rules[k] = (v) => (String(v ?? '').trim() ? null : t('validation.required'));
  for (const k of choose) rules[k] = (v) => (String(v ?? '').trim() ? null : t('validation.choose'));
  return rules;
}

export const idOrNull = (value: string) => (value ? Number(value) : null);

/** Choices for a NativeSelect of items by id, after an empty first choice ("none", "—", …). */
export function choices<T extends { id: number }>(empty: string, items: T[], label: (item: T) => string) {
  return [{ value: '', label: empty }, ...items.map((item) => ({ value: String(item.id), label: label(item) }))];
}

/** A list's items by id, for showing what a row refers to (its unit, position, person). */
export function byId<T extends { id: number }>(items: T[] | undefined): Map<number, T> {
  return new Map((items ?? []).map((item) => [item.id, item]));
}

/** Which item a page's form is open for: none (closed), a new one (item null), or one from the list. */
export function useEditing<T>() {
  const [open, setOpen] = useState<{ item: T | null } | null>(null);
  return { open: open != null, item: open?.item ?? null, create: () => setOpen({ item: null }), edit: (item: T) => setOpen({ item }), close: () => setOpen(null) };
}

/**
 * A change made from a list page (revoke, add or remove a member) rather than through a form:
 * afterwards onDone runs and the list at `invalidate` is fetched again.
 */
export function useListChange<A>(send: (arg: A) => Promise<unknown>, invalidate: string, onDone?: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () => {
      onDone?.();
      return queryClient.invalidateQueries({ queryKey: [invalidate] });
    },
  });
}

/**
 * An admin list page: its title with the button that adds one, the organisation choice (and any
 * filter beside it), what went wrong loading, then the list itself.
 */
export function ListPage({ title, newLabel, onNew, filters, error, children }: { title: string; newLabel: string; onNew: () => void; filters: ReactNode; error: unknown; children: ReactNode }) {
  return (
    <>
      <PageHeader title={title} action={<Button onClick={onNew}>{newLabel}</Button>}>
        {filters}
      </PageHeader>
      <QueryError error={error} />
      {children}
    </>
  );
}

/** A column of a ListTable: its header, what a row shows in it, and any style of that cell. */
export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  style?: (row: T) => CSSProperties;
}

/** The table of an admin list page: the given columns, then a last column with each row's actions. */
export function ListTable<T>({ label, testId, minWidth = 600, rows, rowKey = (row) => (row as { id: number }).id, columns, actions }: {
  label: string; testId?: string; minWidth?: number; rows: T[]; rowKey?: (row: T) => Key; columns: Column<T>[]; actions: (row: T) => ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table striped highlightOnHover aria-label={label} data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th key={c.header}>{c.header}</Table.Th>
            ))}
            <Table.Th>{t('common.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={rowKey(row)}>
              {columns.map((c) => (
                <Table.Td key={c.header} style={c.style?.(row)}>
                  {c.cell(row)}
                </Table.Td>
              ))}
              <Table.Td>{actions(row)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** A small button in a row's actions cell; several go side by side in RowActions. */
export function RowButton({ onClick, label, color, loading, children }: { onClick: () => void; label?: string; color?: string; loading?: boolean; children: ReactNode }) {
  return (
    <Button size="xs" variant="subtle" color={color} loading={loading} onClick={onClick} aria-label={label}>
      {children}
    </Button>
  );
}

export function RowActions({ children }: { children: ReactNode }) {
  return (
    <Group gap={4} wrap="nowrap">
      {children}
    </Group>
  );
}

/** The status column's word for an item that can be switched off. */
export function ActiveBadge({ active }: { active: boolean }) {
  const { t } = useI18n();
  return <StatusBadge ok={active}>{active ? t('common.active') : t('common.inactive')}</StatusBadge>;
}
