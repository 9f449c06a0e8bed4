// On a letter's page: the send dialog for a numbered letter (recipients picked from the directory by
// name or code, whole groups at once, เรียน or สำเนาส่ง) and the deliveries panel, one line per
// recipient with its status, kept live, with withdraw and resend. For a letter received through the
// system, the panel says where it came from.
import { useMemo, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ActionIcon, Alert, Button, Fieldset, Group, List as BulletList, Modal, MultiSelect, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { useI18n, type Translate } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import type { Delivery, List, Organisation } from '../../lib/types';
import { documentKeys, useDocument } from '../../components/document/queries';
import type { DocumentRecord } from '../../components/document/types';
import { useIsClerk, useIsCustodian, useSingleFlight } from '../registry/common';
import { deliveryKeys, deliveryRefusal, useDocumentDeliveries, useOrganisations } from './queries';

/** What the sender reads of one recipient's delivery: ส่งแล้ว, ถึงแล้ว, ลงรับแล้ว เลขรับ N, ปฏิเสธ (เหตุผล) … */
export function deliveryStatusText(d: Delivery, t: Translate): string {
  if (d.status === 'received' && d.recipient.kind === 'email') return t('delivery.status.confirmed', { by: d.email?.confirmedBy ?? d.recipient.email ?? '—' });
  if (d.status === 'received') return t('delivery.status.received', { number: d.received?.number ?? '—' });
  if (d.status === 'rejected') return t('delivery.status.rejected', { reason: d.reason ?? '—' });
  // To an agency elsewhere the server's words say what the exchange did (waiting for it, not delivered).
  if (d.recipient.kind === 'agency' && ['queued', 'failed', 'delivered'].includes(d.status)) return d.statusTh;
  return t(`delivery.status.${d.status}` as MessageKey);
}

const STATUS_COLOUR: Record<Delivery['status'], string> = { queued: 'blue.8', failed: 'red.9', sent: 'blue.8', delivered: 'blue.8', received: '#1b5e20', rejected: 'red.9', returned: 'orange.9', withdrawn: 'gray.7' };

/**
 * One delivery's status; for an e-mailed one also what the mail itself says when the status alone does
 * not: retrying after failed attempts, cancelled before it left, and the last error.
 */
export function DeliveryStatusCell({ d }: { d: Delivery }) {
  const { t } = useI18n();
  const mail = d.email;
  const retrying = mail?.status === 'queued' && mail.attempts > 0;
  return (
    <Stack gap={0}>
      <Text span size="sm" c={STATUS_COLOUR[d.status]} fw={600} data-status={d.status} data-email-status={mail?.status}>
        {deliveryStatusText(d, t)}
      </Text>
      {(retrying || mail?.status === 'cancelled') && (
        <Text size="xs" c="dimmed">
          {retrying ? t('delivery.email.retrying', { n: mail.attempts }) : t('delivery.email.cancelled')}
        </Text>
      )}
      {mail?.lastError && (mail.status === 'queued' || mail.status === 'failed') && (
        <Text size="xs" c="red.9">
          {t('delivery.email.lastError', { error: mail.lastError })}
        </Text>
      )}
      {d.exchange && d.exchange.attempts > 0 && (d.exchange.status === 'queued' || d.exchange.status === 'failed') && (
        <Text size="xs" c="red.8" data-exchange-status={d.exchange.status}>
          {t('delivery.exchange.attempts', { n: d.exchange.attempts })}
          {d.exchange.lastError ? ` · ${t('delivery.exchange.lastError', { error: d.exchange.lastError })}` : ''}
        </Text>
      )}
    </Stack>
  );
}

/** Whether this reader may send this letter: numbered, outgoing, of their organisation, and theirs to send. */
function useMaySend(doc: DocumentRecord | undefined): boolean {
  const { me } = useAuth();
  const clerk = useIsClerk();
  const custodian = useIsCustodian();
  if (!doc || !me || doc.organisationId !== me.organisation.id) return false;
  if (doc.direction === 'incoming' || !doc.letterNumber || !['registered', 'sent'].includes(doc.status) || doc.secrecy === 'top_secret') return false;
  return doc.secrecy === 'normal' ? clerk : custodian;
}

export function LetterDeliveries({ documentId }: { documentId: number }) {
  const { t } = useI18n();
  const doc = useDocument(documentId);
  const deliveries = useDocumentDeliveries(documentId);
  const maySend = useMaySend(doc.data);
  const [sending, setSending] = useState(false);
  const items = deliveries.data ?? [];
  if (!maySend && items.length === 0) return null;
  const received = items.length > 0 && items.every((d) => d.documentId === null); // the delivery that brought it here
  return (
    <Stack gap="xs" data-testid="deliveries">
      <Group justify="space-between">
        <Title order={3} size="h5">
          {received ? t('delivery.panel.from') : t('delivery.panel.title')}
        </Title>
        {maySend && <Button onClick={() => setSending(true)}>{t('delivery.send')}</Button>}
      </Group>
      {received ? (
        <Text>
          {items[0].sender.name} · {items[0].letter.letterNumber ?? '—'} · {items[0].letter.letterDateTh ?? '—'}
        </Text>
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('delivery.panel.empty')}
        </Text>
      ) : (
        <>
          <SendingRoute items={items} />
          <DeliveryTable items={items} documentId={documentId} />
        </>
      )}
      {sending && doc.data && <SendDialog doc={doc.data} onClose={() => setSending(false)} />}
    </Stack>
  );
}

/**
 * The sending as a step of the letter's route, right below the route section: done, to how many
 * recipients, then each recipient's acceptance (who and when) or where it stands. Shown here rather
 * than in GET /documents/:id/route, whose steps are process tasks (a task id, an instance).
 */
function SendingRoute({ items }: { items: Delivery[] }) {
  const { t, date } = useI18n();
  const current = items.filter((d) => d.resentAsId === null);
  const first = [...items].sort((a, b) => a.sentAt.localeCompare(b.sentAt))[0];
  return (
    <BulletList size="sm" spacing={4} data-testid="sending-route">
      <BulletList.Item>
        {t('doc.routeDone')}: {t('delivery.route.sent', { n: current.length })} ({date(first.sentAt, 'shortDateTime')})
        <BulletList size="sm" withPadding spacing={2}>
          {current.map((d) => (
            <BulletList.Item key={d.id}>
              {d.recipient.name}: {deliveryStatusText(d, t)}
              {d.receivedAt && ` (${date(d.receivedAt, 'dateTime')}${d.received?.byName ? ` — ${d.received.byName}` : ''})`}
              {!d.receivedAt && d.closedAt && ` (${date(d.closedAt, 'dateTime')})`}
            </BulletList.Item>
          ))}
        </BulletList>
      </BulletList.Item>
    </BulletList>
  );
}

function DeliveryTable({ items, documentId }: { items: Delivery[]; documentId: number }) {
  const { t, date } = useI18n();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const act = useMutation({
    mutationFn: ({ d, action }: { d: Delivery; action: 'withdraw' | 'resend' }) => api.post<Delivery>(`/deliveries/${d.id}/${action}`),
    onMutate: () => setError(null),
    onError: setError,
    onSettled: () => queryClient.invalidateQueries({ queryKey: deliveryKeys.ofDocument(documentId) }),
  });
  // A resent delivery replaces the old line: the history stays on the server, the panel shows the current one.
  const current = items.filter((d) => d.resentAsId === null);
  return (
    <>
      {error != null && <Alert color="red">{deliveryRefusal(error, t)}</Alert>}
      <Table.ScrollContainer minWidth={560}>
        <Table data-testid="deliveries-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('delivery.panel.recipient')}</Table.Th>
              <Table.Th>{t('delivery.panel.role')}</Table.Th>
              <Table.Th>{t('common.status')}</Table.Th>
              <Table.Th>{t('delivery.panel.sentAt')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {current.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>
                  <RecipientName d={d} />
                </Table.Td>
                <Table.Td>{t(`delivery.role.${d.role}`)}</Table.Td>
                <Table.Td>
                  <DeliveryStatusCell d={d} />
                </Table.Td>
                <Table.Td>{date(d.sentAt, 'shortDateTime')}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    {d.may.withdraw && (
                      <Button size="xs" variant="default" color="red" loading={act.isPending && act.variables?.d.id === d.id} onClick={() => act.mutate({ d, action: 'withdraw' })} aria-label={t('delivery.withdrawOf', { name: d.recipient.name })}>
                        {t('delivery.withdraw')}
                      </Button>
                    )}
                    {d.may.resend && (
                      <Button size="xs" variant="light" loading={act.isPending && act.variables?.d.id === d.id} onClick={() => act.mutate({ d, action: 'resend' })} aria-label={t('delivery.resendTo', { name: d.recipient.name })}>
                        {t('delivery.resend')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}

/** The recipient as the letter addresses it; an e-mailed one with its address. */
export function RecipientName({ d }: { d: Delivery }) {
  const { t } = useI18n();
  return (
    <>
      {d.recipient.name}
      {d.recipient.kind === 'email' && (
        <Text size="xs" c="dimmed">
          {t('delivery.email.to', { email: d.recipient.email ?? '—' })}
        </Text>
      )}
    </>
  );
}

interface GroupOption {
  value: string;
  label: string;
  ids: number[];
}

/** Groups of recipients: everything under an organisation (its whole subtree), and every organisation of a kind. */
function groupsOf(orgs: Organisation[], own: number, t: Translate): GroupOption[] {
  const children = new Map<number, Organisation[]>();
  for (const o of orgs) if (o.parentId != null) children.set(o.parentId, [...(children.get(o.parentId) ?? []), o]);
  const below = (id: number): number[] => (children.get(id) ?? []).flatMap((c) => [c.id, ...below(c.id)]);
  const out: GroupOption[] = [];
  for (const o of orgs) {
    const ids = below(o.id).filter((id) => id !== own);
    if (ids.length > 1) out.push({ value: `under:${o.id}`, label: t('delivery.send.groupUnder', { name: o.nameTh, n: ids.length }), ids });
  }
  const kinds = new Map<string, number[]>();
  for (const o of orgs) if (o.id !== own) kinds.set(o.kind, [...(kinds.get(o.kind) ?? []), o.id]);
  for (const [kind, ids] of kinds) {
    if (ids.length > 1) out.push({ value: `kind:${kind}`, label: t('delivery.send.groupKind', { kind: t(`delivery.kind.${kind}` as MessageKey), n: ids.length }), ids });
  }
  return out;
}

interface EmailRecipient {
  email: string;
  name: string;
  role: 'to' | 'copy';
}
/** What the server's z.email() accepts, near enough for the form to say so first. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function SendDialog({ doc, onClose }: { doc: DocumentRecord; onClose: () => void }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const own = me?.organisation.id ?? 0;
  const directory = useOrganisations();
  const [to, setTo] = useState<string[]>([]);
  const [copy, setCopy] = useState<string[]>([]);
  const [empty, setEmpty] = useState(false);
  const [emails, setEmails] = useState<EmailRecipient[]>([]);
  const [draft, setDraft] = useState<EmailRecipient>({ email: '', name: '', role: 'to' });
  const [draftError, setDraftError] = useState<MessageKey | null>(null);
  // The server refuses a secret letter by e-mail (422); the form says so before anything is typed.
  const noEmail = doc.secrecy !== 'normal';
  const orgs = useMemo(() => directory.data ?? [], [directory.data]);
  const options = useMemo(() => orgs.filter((o) => o.id !== own).map((o) => ({ value: String(o.id), label: `${o.nameTh} (${o.agencyCode})` })), [orgs, own]);
  const groups = useMemo(() => groupsOf(orgs, own, t), [orgs, own, t]);
  // Agencies elsewhere (the exchange directory): the letter travels signed to their own system.
  const peers = useQuery({ queryKey: ['/exchange/peers'], queryFn: () => api.get<List<{ id: number; nameTh: string; agencyCode: string; transport: string; active: boolean }>>('/exchange/peers') });
  const agencyOptions = useMemo(() => (peers.data?.items ?? []).filter((p) => p.active && p.transport !== 'email').map((p) => ({ value: String(p.id), label: `${p.nameTh} (${p.agencyCode})` })), [peers.data]);
  const [agencies, setAgencies] = useState<string[]>([]);

  const emailsToSend = useRef<EmailRecipient[]>([]);
  /** The typed address joins the list when valid; null when there is nothing typed, false when refused. */
  const takeDraft = (): EmailRecipient[] | false => {
    const email = draft.email.trim();
    if (!email) return emails;
    const problem: MessageKey | null = !EMAIL.test(email) ? 'delivery.send.emailInvalid' : emails.some((e) => e.email.toLowerCase() === email.toLowerCase()) ? 'delivery.send.emailTwice' : null;
    setDraftError(problem);
    if (problem) return false;
    const next = [...emails, { ...draft, email }];
    setEmails(next);
    setDraft({ email: '', name: '', role: draft.role });
    return next;
  };
  const sendOnce = useSingleFlight(() =>
    api.post<List<Delivery>>(`/documents/${doc.id}/send`, {
      recipients: [
        ...to.map((id) => ({ organisationId: Number(id), role: 'to' })),
        ...copy.map((id) => ({ organisationId: Number(id), role: 'copy' })),
        ...emailsToSend.current.map((e) => ({ email: e.email, ...(e.name.trim() ? { name: e.name.trim() } : {}), role: e.role })),
        ...agencies.map((id) => ({ agencyId: Number(id), role: 'to' })),
      ],
    }),
  );
  const send = useMutation({
    mutationFn: sendOnce,
    onSuccess: async (r) => {
      notifications.show({ color: 'green', message: t('delivery.send.done', { n: r.items.length }) });
      await Promise.all([queryClient.invalidateQueries({ queryKey: deliveryKeys.ofDocument(doc.id) }), queryClient.invalidateQueries({ queryKey: documentKeys.all(doc.id) })]);
      onClose();
    },
  });
  const addGroup = (value: string) => {
    const group = groups.find((g) => g.value === value);
    if (!group) return;
    const ids = group.ids.map(String).filter((id) => !copy.includes(id));
    setTo((prev) => [...prev, ...ids.filter((id) => !prev.includes(id))]);
    setEmpty(false);
  };
  const submit = () => {
    const mailed = noEmail ? [] : takeDraft();
    if (mailed === false) return;
    emailsToSend.current = mailed;
    const none = to.length + copy.length + mailed.length + agencies.length === 0;
    setEmpty(none);
    if (!none) send.mutate();
  };

  return (
    <Modal opened onClose={onClose} title={t('delivery.send.title')} size="lg">
      <Stack>
        <Text size="sm">
          {doc.letterNumber} · {doc.subject}
        </Text>
        <Text size="sm" c="dimmed">
          {t('delivery.send.hint')}
        </Text>
        <MultiSelect label={t('delivery.send.to')} data={options.filter((o) => !copy.includes(o.value))} value={to} onChange={(v) => { setTo(v); setEmpty(false); }} searchable clearable hidePickedOptions nothingFoundMessage={t('common.notFound')} error={empty ? t('delivery.send.none') : undefined} />
        <NativeSelect
          label={t('delivery.send.group')}
          value=""
          onChange={(e) => addGroup(e.currentTarget.value)}
          data={[{ value: '', label: t('delivery.send.groupPlaceholder') }, ...groups.map((g) => ({ value: g.value, label: g.label }))]}
        />
        <MultiSelect label={t('delivery.send.copy')} data={options.filter((o) => !to.includes(o.value))} value={copy} onChange={(v) => { setCopy(v); setEmpty(false); }} searchable clearable hidePickedOptions nothingFoundMessage={t('common.notFound')} />
        {agencyOptions.length > 0 && (
          <MultiSelect label={t('delivery.send.agencies')} data={agencyOptions} value={agencies} onChange={(v) => { setAgencies(v); setEmpty(false); }} searchable clearable hidePickedOptions nothingFoundMessage={t('common.notFound')} />
        )}
        <Fieldset legend={t('delivery.send.email')} variant="filled">
          <Stack gap="xs">
            {noEmail ? (
              <Text size="sm" c="red.9" data-testid="email-refused">
                {t('delivery.send.emailSecret')}
              </Text>
            ) : (
              <>
                <Group align="flex-end" gap="xs" wrap="wrap">
                  <TextInput label={t('delivery.send.emailAddress')} type="email" value={draft.email} onChange={(e) => { const email = e.currentTarget.value; setDraft((d) => ({ ...d, email })); setDraftError(null); setEmpty(false); }} error={draftError ? t(draftError) : undefined} w={240} />
                  <TextInput label={t('delivery.send.emailName')} value={draft.name} onChange={(e) => { const name = e.currentTarget.value; setDraft((d) => ({ ...d, name })); }} maxLength={255} w={240} />
                  <NativeSelect label={t('delivery.panel.role')} value={draft.role} onChange={(e) => { const role = e.currentTarget.value as EmailRecipient['role']; setDraft((d) => ({ ...d, role })); }} data={[{ value: 'to', label: t('delivery.role.to') }, { value: 'copy', label: t('delivery.role.copy') }]} />
                  <Button variant="light" onClick={() => takeDraft()}>
                    {t('delivery.send.emailAdd')}
                  </Button>
                </Group>
                {emails.map((e) => (
                  <Group key={e.email} gap="xs" data-testid="email-recipient">
                    <Text size="sm">
                      {e.name.trim() ? `${e.name.trim()} <${e.email}>` : e.email} · {t(`delivery.role.${e.role}`)}
                    </Text>
                    <ActionIcon variant="subtle" color="red" size="sm" aria-label={t('delivery.send.emailRemove', { email: e.email })} onClick={() => setEmails((prev) => prev.filter((x) => x !== e))}>
                      ×
                    </ActionIcon>
                  </Group>
                ))}
              </>
            )}
          </Stack>
        </Fieldset>
        {send.isError && (
          <Alert color="red" data-testid="form-error">
            {deliveryRefusal(send.error, t)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} loading={send.isPending}>
            {t('delivery.send.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
