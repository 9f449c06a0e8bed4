// Positions and the chain of command: whom each position reports to, and the chain above it.
import { useState } from 'react';
import { Checkbox, List, Modal, NativeSelect, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { unitName, positionTitle, userName } from './names';
import { useI18n } from '../../i18n';
import type { List as ListOf, Position, Unit, User } from '../../lib/types';
import { ActiveBadge, FormModal, ListPage, ListTable, QueryError, RowActions, RowButton, byId, choices, idOrNull, nullIfEmpty, requiredFields, useAdminOrg, useEditing, useList, useSubmit } from './kit';

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
  const submit = useSubmit(
    form,
    (v) => {
      const { active, ...rest } = { ...nullIfEmpty(v, ['titleEn']), unitId: idOrNull(v.unitId), reportsToId: idOrNull(v.reportsToId) };
      const body = position ? { ...rest, active } : rest;
      return position ? api.patch<Position>(`/positions/${position.id}`, body) : api.post<Position>(listPath, body);
    },
    { invalidate: [listPath], onDone: onClose },
  );
  return (
    <FormModal opened onClose={onClose} title={position ? t('common.edit') : t('position.new')} {...submit}>
      <TextInput label={t('position.titleTh')} required {...form.getInputProps('titleTh')} />
      <TextInput label={t('position.titleEn')} {...form.getInputProps('titleEn')} />
      <NativeSelect label={t('position.unit')} data={choices(t('common.none'), units, (u) => unitName(u, locale))} {...form.getInputProps('unitId')} />
      <NativeSelect
        label={t('position.reportsTo')}
        data={choices(t('position.top'), positions.filter((p) => p.id !== position?.id), (p) => positionTitle(p, locale))}
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
  const editing = useEditing<Position>();
  const [chainOf, setChainOf] = useState<Position | null>(null);
  const positionById = byId(positions.data);
  const unitById = byId(units.data);
  const users = useList<User>(`/organisations/${orgId}/users`);
  const holders = new Map<number, User[]>();
  for (const u of users.data ?? []) if (u.positionId && u.active) holders.set(u.positionId, [...(holders.get(u.positionId) ?? []), u]);

  return (
    <ListPage title={t('position.title')} newLabel={t('position.new')} onNew={editing.create} filters={select} error={positions.error}>
      <ListTable
        label={t('position.title')}
        testId="positions-table"
        rows={commandTree(positions.data ?? [])}
        rowKey={(r) => r.position.id}
        columns={[
          {
            header: t('position.titleTh'),
            style: ({ depth }) => ({ paddingInlineStart: `calc(var(--table-horizontal-spacing, 10px) + ${depth * 1.25}rem)` }),
            cell: ({ position: p, depth }) => (
              <>
                {depth > 0 && (
                  <Text span c="dimmed" aria-hidden>
                    └{' '}
                  </Text>
                )}
                {positionTitle(p, locale)}
              </>
            ),
          },
          { header: t('position.holder'), cell: ({ position: p }) => (holders.get(p.id) ?? []).map((u) => userName(u, locale)).join(', ') || '—' },
          { header: t('position.unit'), cell: ({ position: p }) => (p.unitId ? unitName(unitById.get(p.unitId), locale) : '—') },
          { header: t('position.reportsTo'), cell: ({ position: p }) => (p.reportsToId ? positionTitle(positionById.get(p.reportsToId), locale) : t('position.top')) },
          { header: t('common.status'), cell: ({ position: p }) => <ActiveBadge active={p.active} /> },
        ]}
        actions={({ position: p }) => (
          <RowActions>
            <RowButton onClick={() => editing.edit(p)} label={`${t('common.edit')} ${positionTitle(p, locale)}`}>
              {t('common.edit')}
            </RowButton>
            <RowButton onClick={() => setChainOf(p)} label={`${t('position.chain')} ${positionTitle(p, locale)}`}>
              {t('position.chain')}
            </RowButton>
          </RowActions>
        )}
      />
      {editing.open && <PositionForm orgId={orgId} position={editing.item} positions={positions.data ?? []} units={units.data ?? []} onClose={editing.close} />}
      {chainOf && <ChainModal position={chainOf} onClose={() => setChainOf(null)} />}
    </ListPage>
  );
}
