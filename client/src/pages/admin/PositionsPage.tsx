// Positions and the chain of command: whom each position reports to, and the chain above it.
import { useState } from 'react';
import { Button, Checkbox, Group, List, Modal, NativeSelect, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { StatusBadge } from '../../components/StatusBadge';
import { api } from '../../lib/api';
import { unitName, positionTitle, userName } from './names';
import { useI18n } from '../../i18n';
import type { List as ListOf, Position, Unit, User } from '../../lib/types';
import { FormModal, PageHeader, QueryError, idOrNull, nullIfEmpty, requiredFields, useAdminOrg, useList, useSubmit } from './kit';

/** Positions in chain-of-command order: each one followed by those reporting to it, with its depth. */
export function commandTree(positions: Position[]): Array<{ position: Position; depth: number }> {
  const ids = new Set(positions.map((p) => p.id));
  const children = new Map<number | null, Position[]>();
  for (const p of positions) {
    const parent = p.reportsToId != null && ids.has(p.reportsToId) ? p.reportsToId : null;
    children.set(parent, [...(children.get(parent) ?? []), p]);
  }
  const out: Array<{ position: Position; depth: number }> = [];
  const seen = new Set<number>();
  const walk = (parent: number | null, depth: number) => {
    for (const p of children.get(parent) ?? []) {
      if (seen.has(p.id)) continue; // a loop in the data must not hang the page
      seen.add(p.id);
      out.push({ position: p, depth });
      walk(p.id, depth + 1);
    }
  };
  walk(null, 0);
  for (const p of positions) if (!seen.has(p.id)) out.push({ position: p, depth: 0 });
  return out;
}

function PositionForm({ orgId, position, positions, units, onClose }: { orgId: number; position: Position | null; positions: Position[]; units: Unit[]; onClose: () => void }) {
  const { t, locale } = useI18n();
  const initialValues = {
    titleTh: position?.titleTh ?? '',
    titleEn: position?.titleEn ?? '',
    unitId: position?.unitId ? String(position.unitId) : '',
    reportsToId: position?.reportsToId ? String(position.reportsToId) : '',
    active: position?.active ?? true,
  };
  const form = useForm({ initialValues, validate: requiredFields<typeof initialValues>(t, ['titleTh']) });
  const listPath = `/organisations/${orgId}/positions`;
  const { onSubmit, busy, formError } = useSubmit(
    form,
    (v) => {
      const { active, ...rest } = { ...nullIfEmpty(v, ['titleEn']), unitId: idOrNull(v.unitId), reportsToId: idOrNull(v.reportsToId) };
      const body = position ? { ...rest, active } : rest;
      return position ? api.patch<Position>(`/positions/${position.id}`, body) : api.post<Position>(listPath, body);
    },
    { invalidate: [listPath], onDone: onClose },
  );
  return (
    <FormModal opened onClose={onClose} title={position ? t('common.edit') : t('position.new')} onSubmit={onSubmit} busy={busy} formError={formError}>
      <TextInput label={t('position.titleTh')} required {...form.getInputProps('titleTh')} />
      <TextInput label={t('position.titleEn')} {...form.getInputProps('titleEn')} />
      <NativeSelect label={t('position.unit')} data={[{ value: '', label: t('common.none') }, ...units.map((u) => ({ value: String(u.id), label: unitName(u, locale) }))]} {...form.getInputProps('unitId')} />
      <NativeSelect
        label={t('position.reportsTo')}
        data={[{ value: '', label: t('position.top') }, ...positions.filter((p) => p.id !== position?.id).map((p) => ({ value: String(p.id), label: positionTitle(p, locale) }))]}
        {...form.getInputProps('reportsToId')}
      />
      {position && <Checkbox label={t('common.active')} {...form.getInputProps('active', { type: 'checkbox' })} />}
    </FormModal>
  );
}

function ChainModal({ position, onClose }: { position: Position; onClose: () => void }) {
  const { t, locale } = useI18n();
  const chain = useQuery({ queryKey: [`/positions/${position.id}/chain`], queryFn: () => api.get<ListOf<Position>>(`/positions/${position.id}/chain`) });
  return (
    <Modal opened onClose={onClose} title={t('position.chainOf', { title: positionTitle(position, locale) })}>
      <QueryError error={chain.error} />
      {chain.data && (
        <List type="ordered" data-testid="chain">
          <List.Item>
            <Text fw={600}>{positionTitle(position, locale)}</Text>
          </List.Item>
          {chain.data.items.map((p) => (
            <List.Item key={p.id}>{positionTitle(p, locale)}</List.Item>
          ))}
        </List>
      )}
    </Modal>
  );
}

export function PositionsPage() {
  const { t, locale } = useI18n();
  const { orgId, select } = useAdminOrg();
  const positions = useList<Position>(`/organisations/${orgId}/positions`);
  const units = useList<Unit>(`/organisations/${orgId}/units`);
  const [editing, setEditing] = useState<Position | null | 'new'>(null);
  const [chainOf, setChainOf] = useState<Position | null>(null);
  const byId = new Map((positions.data ?? []).map((p) => [p.id, p]));
  const unitById = new Map((units.data ?? []).map((u) => [u.id, u]));
  const users = useList<User>(`/organisations/${orgId}/users`);
  const holders = new Map<number, User[]>();
  for (const u of users.data ?? []) if (u.positionId && u.active) holders.set(u.positionId, [...(holders.get(u.positionId) ?? []), u]);

  return (
    <>
      <PageHeader title={t('position.title')} action={<Button onClick={() => setEditing('new')}>{t('position.new')}</Button>}>
        {select}
      </PageHeader>
      <QueryError error={positions.error} />
      <Table.ScrollContainer minWidth={600}>
        <Table striped highlightOnHover aria-label={t('position.title')} data-testid="positions-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('position.titleTh')}</Table.Th>
              <Table.Th>{t('position.holder')}</Table.Th>
              <Table.Th>{t('position.unit')}</Table.Th>
              <Table.Th>{t('position.reportsTo')}</Table.Th>
              <Table.Th>{t('common.status')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {commandTree(positions.data ?? []).map(({ position: p, depth }) => (
              <Table.Tr key={p.id}>
                <Table.Td style={{ paddingInlineStart: `calc(var(--table-horizontal-spacing, 10px) + ${depth * 1.25}rem)` }}>
                  {depth > 0 && (
                    <Text span c="dimmed" aria-hidden>
                      └{' '}
                    </Text>
                  )}
                  {positionTitle(p, locale)}
                </Table.Td>
                <Table.Td>{(holders.get(p.id) ?? []).map((u) => userName(u, locale)).join(', ') || '—'}</Table.Td>
                <Table.Td>{p.unitId ? unitName(unitById.get(p.unitId), locale) : '—'}</Table.Td>
                <Table.Td>{p.reportsToId ? positionTitle(byId.get(p.reportsToId), locale) : t('position.top')}</Table.Td>
                <Table.Td>
                  <StatusBadge ok={p.active}>
                    {p.active ? t('common.active') : t('common.inactive')}
                  </StatusBadge>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button size="xs" variant="subtle" onClick={() => setEditing(p)} aria-label={`${t('common.edit')} ${positionTitle(p, locale)}`}>
                      {t('common.edit')}
                    </Button>
                    <Button size="xs" variant="subtle" onClick={() => setChainOf(p)} aria-label={`${t('position.chain')} ${positionTitle(p, locale)}`}>
                      {t('position.chain')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editing && <PositionForm orgId={orgId} position={editing === 'new' ? null : editing} positions={positions.data ?? []} units={units.data ?? []} onClose={() => setEditing(null)} />}
      {chainOf && <ChainModal position={chainOf} onClose={() => setChainOf(null)} />}
    </>
  );
}
