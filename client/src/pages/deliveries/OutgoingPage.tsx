// หนังสือส่งออก — ติดตามการรับ: the organisation's sent letters, one line per recipient, newest first,
// for the registry clerks (the secrets custodian sees the secret ones). The filter "sent, not yet
// received for more than N hours" finds the ones to chase by telephone. Kept live by the one
// delivery listener the navigation mounts (useDeliveriesLive): every delivery.* event re-reads it.
import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Anchor, Checkbox, Group, Loader, NumberInput, Stack, Table, Text, Title } from '@mantine/core';
import { ApiError } from '../../lib/api';
import { useI18n } from '../../i18n';
import { useIsClerk, useIsCustodian } from '../registry/common';
import { useOutgoing } from './queries';
import { DeliveryStatusCell, RecipientName } from './LetterDeliveries';

export function OutgoingPage() {
  const { t, date } = useI18n();
  const clerk = useIsClerk();
  const custodian = useIsCustodian();
  const [pendingOnly, setPendingOnly] = useState(false);
  const [hours, setHours] = useState<number>(24);
  const filter = pendingOnly ? hours : null;
  const outgoing = useOutgoing(filter, clerk || custodian);

  if (!clerk && !custodian) {
    return (
      <Alert color="red" title={t('common.forbidden')} maw={700}>
        {t('arrivals.forbidden')}
      </Alert>
    );
  }
  const items = outgoing.data ?? [];
  return (
    <Stack>
      <Title order={2}>{t('outgoing.title')}</Title>
      <Group gap="xs" align="center">
        <Checkbox label={t('outgoing.pendingOnly')} checked={pendingOnly} onChange={(e) => setPendingOnly(e.currentTarget.checked)} />
        <NumberInput
          aria-label={t('outgoing.hours')}
          value={hours}
          onChange={(v) => setHours(typeof v === 'number' && Number.isFinite(v) ? v : 0)}
          min={0}
          max={24 * 365}
          allowDecimal={false}
          allowNegative={false}
          w={90}
          disabled={!pendingOnly}
        />
        <Text size="sm">{t('outgoing.hours')}</Text>
      </Group>
      {outgoing.isLoading && <Loader role="status" aria-label={t('common.loading')} />}
      {outgoing.isError && <Alert color="red">{outgoing.error instanceof ApiError && outgoing.error.status === 403 ? t('common.forbidden') : t('common.error')}</Alert>}
      {outgoing.isSuccess && items.length === 0 && <Text c="dimmed">{filter === null ? t('outgoing.empty') : t('outgoing.emptyPending', { n: filter })}</Text>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={860}>
          <Table striped data-testid="outgoing-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('outgoing.letter')}</Table.Th>
                <Table.Th>{t('doc.subject')}</Table.Th>
                <Table.Th>{t('delivery.panel.recipient')}</Table.Th>
                <Table.Th>{t('delivery.panel.role')}</Table.Th>
                <Table.Th>{t('common.status')}</Table.Th>
                <Table.Th>{t('delivery.panel.sentAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {d.letter.letterNumber ?? '—'}
                    <Text size="xs">{d.letter.letterDateTh ?? ''}</Text>
                  </Table.Td>
                  <Table.Td>
                    {d.documentId ? (
                      <Anchor component={Link} to={`/documents/${d.documentId}`}>
                        {d.letter.subject}
                      </Anchor>
                    ) : (
                      d.letter.subject
                    )}
                    {d.letter.secrecy !== 'normal' && (
                      <Text size="xs" c="red.9">
                        {d.letter.secrecyTh}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <RecipientName d={d} />
                  </Table.Td>
                  <Table.Td>{t(`delivery.role.${d.role}`)}</Table.Td>
                  <Table.Td>
                    <DeliveryStatusCell d={d} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{date(d.sentAt, 'dateTime')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
