// Users of an organisation: list, search, add, change (unit, position, groups, password, enabled).
import { useState } from 'react';
import { Button, Checkbox, Group, NativeSelect, PasswordInput, SimpleGrid, Table, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { StatusBadge } from '../../components/StatusBadge';
import { api } from '../../lib/api';
import { unitName, positionTitle, userName } from './names';
import { useI18n } from '../../i18n';
import type { Group as UserGroup, Position, Unit, User } from '../../lib/types';
import { FormModal, PageHeader, QueryError, idOrNull, nullIfEmpty, requiredFields, useAdminOrg, useList, useSubmit } from './kit';

function UserForm({ orgId, user, units, positions, groups, onClose }: { orgId: number; user: User | null; units: Unit[]; positions: Position[]; groups: UserGroup[]; onClose: () => void }) {
  const { t, locale } = useI18n();
  const initialValues = {
    username: user?.username ?? '',
    password: '',
    prefixTh: user?.prefixTh ?? '',
    firstNameTh: user?.firstNameTh ?? '',
    lastNameTh: user?.lastNameTh ?? '',
    nameEn: user?.nameEn ?? '',
    email: user?.email ?? '',
    phone: user?.phone ?? '',
    unitId: user?.unitId ? String(user.unitId) : '',
    positionId: user?.positionId ? String(user.positionId) : '',
    locale: user?.locale ?? 'th',
    groupIds: user?.groupIds ?? [],
    active: user?.active ?? true,
  };
  const form = useForm({
    initialValues,
    validate: requiredFields<typeof initialValues>(t, user ? ['firstNameTh', 'lastNameTh'] : ['username', 'password', 'firstNameTh', 'lastNameTh']),
  });
  const listPath = `/organisations/${orgId}/users`;
  const { onSubmit, busy, formError } = useSubmit(
    form,
    (v) => {
      const base = { ...nullIfEmpty(v, ['prefixTh', 'nameEn', 'email', 'phone']), unitId: idOrNull(v.unitId), positionId: idOrNull(v.positionId) };
      if (user) {
        const { username: _u, password, ...rest } = base;
        return api.patch<User>(`/users/${user.id}`, password ? { ...rest, password } : rest);
      }
      const { active: _a, ...create } = base;
      return api.post<User>(listPath, create);
    },
    { invalidate: [listPath], onDone: onClose },
  );
  return (
    <FormModal opened onClose={onClose} title={user ? `${t('common.edit')} ${user.username}` : t('user.new')} onSubmit={onSubmit} busy={busy} formError={formError}>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('user.username')} required disabled={!!user} autoComplete="off" {...form.getInputProps('username')} />
        <PasswordInput label={user ? t('user.newPassword') : t('user.password')} required={!user} autoComplete="new-password" {...form.getInputProps('password')} />
        <TextInput label={t('user.prefixTh')} {...form.getInputProps('prefixTh')} />
        <TextInput label={t('user.firstNameTh')} required {...form.getInputProps('firstNameTh')} />
        <TextInput label={t('user.lastNameTh')} required {...form.getInputProps('lastNameTh')} />
        <TextInput label={t('user.nameEn')} {...form.getInputProps('nameEn')} />
        <TextInput label={t('user.email')} type="email" {...form.getInputProps('email')} />
        <TextInput label={t('user.phone')} type="tel" {...form.getInputProps('phone')} />
        <NativeSelect label={t('user.unit')} data={[{ value: '', label: t('common.none') }, ...units.map((u) => ({ value: String(u.id), label: unitName(u, locale) }))]} {...form.getInputProps('unitId')} />
        <NativeSelect label={t('user.position')} data={[{ value: '', label: t('common.none') }, ...positions.map((p) => ({ value: String(p.id), label: positionTitle(p, locale) }))]} {...form.getInputProps('positionId')} />
        <NativeSelect label={t('user.locale')} data={[{ value: 'th', label: t('lang.th') }, { value: 'en', label: t('lang.en') }]} {...form.getInputProps('locale')} />
      </SimpleGrid>
      <Checkbox.Group label={t('user.groups')} value={form.values.groupIds.map(String)} onChange={(v) => form.setFieldValue('groupIds', v.map(Number))} error={form.errors.groupIds}>
        <Group mt="xs">
          {groups.map((g) => (
            <Checkbox key={g.id} value={String(g.id)} label={(locale === 'en' && g.nameEn) || g.nameTh} />
          ))}
        </Group>
      </Checkbox.Group>
      {user && <Checkbox label={t('user.active')} {...form.getInputProps('active', { type: 'checkbox' })} />}
    </FormModal>
  );
}

export function UsersPage() {
  const { t, locale } = useI18n();
  const { orgId, select } = useAdminOrg();
  const [q, setQ] = useState('');
  const users = useList<User>(`/organisations/${orgId}/users${q.trim() ? `?q=${encodeURIComponent(q.trim())}` : ''}`);
  const units = useList<Unit>(`/organisations/${orgId}/units`);
  const positions = useList<Position>(`/organisations/${orgId}/positions`);
  const groups = useList<UserGroup>(`/organisations/${orgId}/groups`);
  const [editing, setEditing] = useState<User | null | 'new'>(null);
  const unitById = new Map((units.data ?? []).map((u) => [u.id, u]));
  const positionById = new Map((positions.data ?? []).map((p) => [p.id, p]));

  return (
    <>
      <PageHeader title={t('user.title')} action={<Button onClick={() => setEditing('new')}>{t('user.new')}</Button>}>
        <Group align="flex-end">
          {select}
          <TextInput label={t('common.search')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} maw={320} />
        </Group>
      </PageHeader>
      <QueryError error={users.error} />
      <Table.ScrollContainer minWidth={700}>
        <Table striped highlightOnHover aria-label={t('user.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('user.name')}</Table.Th>
              <Table.Th>{t('user.username')}</Table.Th>
              <Table.Th>{t('user.position')}</Table.Th>
              <Table.Th>{t('user.unit')}</Table.Th>
              <Table.Th>{t('common.status')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(users.data ?? []).map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>{userName(u, locale)}</Table.Td>
                <Table.Td>{u.username}</Table.Td>
                <Table.Td>{u.positionId ? positionTitle(positionById.get(u.positionId), locale) : '—'}</Table.Td>
                <Table.Td>{u.unitId ? unitName(unitById.get(u.unitId), locale) : '—'}</Table.Td>
                <Table.Td>
                  <StatusBadge ok={u.active}>
                    {u.active ? t('common.active') : t('common.inactive')}
                  </StatusBadge>
                </Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="subtle"
                    aria-label={`${t('common.edit')} ${u.username}`}
                    onClick={async () => setEditing(await api.get<User>(`/users/${u.id}`))}
                  >
                    {t('common.edit')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editing && (
        <UserForm orgId={orgId} user={editing === 'new' ? null : editing} units={units.data ?? []} positions={positions.data ?? []} groups={groups.data ?? []} onClose={() => setEditing(null)} />
      )}
    </>
  );
}
