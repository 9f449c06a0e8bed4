// ทะเบียนหนังสือ: one register's entries of a B.E. year with the regulation's columns, paged;
// voided numbers stay in the book, struck through. The CSV file and the printable page come from
// the server's export (fetched with the token), and the page itself prints. The secret register
// (listed for the secrets custodian only) adds รับ/ส่ง and ชั้นความลับ columns.
import { useState } from 'react';
import { Link } from 'react-router';
import { useAddressState } from '../../lib/addressState';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Badge, Button, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { api } from '../../lib/api';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { download, openBlob } from '../../components/document/files';
import type { RegisterEntry } from '../../components/document/types';
import { recentYears, RegisterSelect, useIsClerk, useRegisters } from './common';
import { VoidNumber } from './LetterActions';

const PAGE = 50;
const LETTER_COLUMNS: MessageKey[] = ['registry.col.letterNumber', 'registry.col.letterDate', 'registry.col.from', 'registry.col.to', 'registry.col.subject', 'registry.col.action', 'registry.col.remarks'];
const COLUMNS: MessageKey[] = ['registry.col.number', 'registry.col.date', 'registry.col.time', ...LETTER_COLUMNS];
const SECRET_COLUMNS: MessageKey[] = ['registry.col.number', 'registry.col.direction', 'registry.col.date', 'registry.col.time', 'registry.col.secrecy', ...LETTER_COLUMNS];

export function RegistersPage() {
  const { t } = useI18n();
  const registers = useRegisters();
  const clerk = useIsClerk();
  const [params, set] = useAddressState();
  const [failed, setFailed] = useState(false);
  const books = registers.data ?? [];
  const registerId = Number(params.get('register')) || books[0]?.id || null;
  const year = Number(params.get('year')) || recentYears()[0];
  const offset = Number(params.get('offset')) || 0;
  const entries = useQuery({
    queryKey: ['registers', registerId, 'entries', year, offset],
    queryFn: () => api.get<{ year: number; items: RegisterEntry[] }>(`/registers/${registerId}/entries?year=${year}&limit=${PAGE + 1}&offset=${offset}`),
    enabled: registerId != null,
    placeholderData: keepPreviousData,
  });
  const items = (entries.data?.items ?? []).slice(0, PAGE);
  const hasMore = (entries.data?.items.length ?? 0) > PAGE;
  const book = books.find((r) => r.id === registerId);
  const secret = book?.kind === 'secret';
  const exportPath = (format: 'csv' | 'html') => `/registers/${registerId}/export.${format}?year=${year}`;
  const openPrintable = async () => {
    // Opened first, filled after: a window opened after an await is taken for a pop-up and blocked.
    const win = window.open('', '_blank');
    try {
      const { url } = await openBlob(exportPath('html'));
      if (win) win.location.href = url;
      else window.location.href = url;
      setFailed(false);
    } catch {
      win?.close();
      setFailed(true);
    }
  };

  return (
    <Stack>
      <Title order={2} className="no-print">
        {t('registry.registers.title')}
      </Title>
      <Group align="end" wrap="wrap" className="no-print">
        <RegisterSelect registers={books} value={registerId} onChange={(id) => set({ register: id, offset: 0 })} />
        <NativeSelect
          label={t('registry.year')}
          value={String(year)}
          onChange={(e) => set({ year: e.currentTarget.value, offset: 0 })}
          data={recentYears().map(String)}
          w={120}
        />
      </Group>
      <Group className="no-print" gap="sm">
        <Button variant="light" disabled={registerId == null} onClick={() => download(exportPath('csv'), `register-${registerId}-${year}.csv`).then(() => setFailed(false), () => setFailed(true))}>
          {t('registry.registers.csv')}
        </Button>
        <Button variant="light" disabled={registerId == null} onClick={() => void openPrintable()}>
          {t('registry.registers.printable')}
        </Button>
        <Button variant="default" onClick={() => window.print()}>
          {t('registry.registers.print')}
        </Button>
      </Group>
      {failed && <Alert color="red">{t('common.error')}</Alert>}
      <Group gap="sm">
        {secret && (
          <Badge color="red" size="lg" radius="sm" data-testid="secret-register">
            {t('registry.secret.title')}
          </Badge>
        )}
        <Title order={3} size="h4">
          {book?.nameTh} {t('registry.beYear', { year })}
        </Title>
      </Group>
      {secret && (
        <Text size="sm" c="dimmed" className="no-print">
          {t('registry.secret.note')}
        </Text>
      )}
      <Table.ScrollContainer minWidth={1000} className="register-book">
        <Table striped withTableBorder data-testid="register-table">
          <Table.Thead>
            <Table.Tr>
              {(secret ? SECRET_COLUMNS : COLUMNS).map((c) => (
                <Table.Th key={c}>{t(c)}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((e) => {
              const voided = e.status === 'voided';
              const r = e.row;
              return (
                <Table.Tr key={e.id} data-status={e.status} style={voided ? { textDecoration: 'line-through', color: 'var(--mantine-color-gray-7)' } : undefined}>
                  <Table.Td>{r.number}</Table.Td>
                  {secret && <Table.Td>{t(`registry.direction.${e.direction}`)}</Table.Td>}
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.registeredDate}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.registeredTime}</Table.Td>
                  {secret && (
                    <Table.Td c="red.9" fw={700}>
                      {r.secrecy}
                    </Table.Td>
                  )}
                  <Table.Td>{r.letterNumber}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.letterDate}</Table.Td>
                  <Table.Td>{r.from}</Table.Td>
                  <Table.Td>{r.to}</Table.Td>
                  <Table.Td>{e.documentId && !e.hidden && !voided ? <Link to={`/documents/${e.documentId}`}>{r.subject}</Link> : r.subject}</Table.Td>
                  <Table.Td>{r.action}</Table.Td>
                  <Table.Td style={{ textDecoration: 'none' }}>
                    {voided && (
                      <Text span fw={700} c="red.9" mr={4}>
                        {t('registry.voided')}
                      </Text>
                    )}
                    {r.remarks}
                    {!voided && clerk && <VoidNumber entryId={e.id} label={String(r.number)} />}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {entries.isSuccess && items.length === 0 && (
        <Text c="dimmed">{t('registry.registers.empty')}</Text>
      )}
      <Group className="no-print">
        <Button variant="default" disabled={offset === 0} onClick={() => set({ offset: Math.max(0, offset - PAGE) })}>
          {t('registry.prev')}
        </Button>
        <Button variant="default" disabled={!hasMore} onClick={() => set({ offset: offset + PAGE })}>
          {t('registry.next')}
        </Button>
      </Group>
    </Stack>
  );
}
