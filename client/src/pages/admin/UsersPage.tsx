// Users of an organisation: list, search, add, change (unit, position, groups, password, enabled).
import { useState } from 'react';
import { Checkbox, Group, NativeSelect, PasswordInput, SimpleGrid, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { api } from '../../lib/api';
import { groupName, unitName, positionTitle, userName } from './names';
import { useI18n } from '../../i18n';
import type { Group as UserGroup, Position, Unit, User } from '../../lib/types';
import { ActiveBadge, FormModal, ListPage, ListTable, RowButton, byId, choices, idOrNull, nullIfEmpty, requiredFields, useAdminOrg, useEditing, useList, useSubmit } from './kit';

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
  const submit = useSubmit(
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
    <FormModal opened onClose={onClose} title={user ? `${t('common.edit')} ${user.username}` : t('user.new')} {...submit}>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('user.username')} required disabled={!!user} autoComplete="off" {...form.getInputProps('username')} />
        <PasswordInput label={user ? t('user.newPassword') : t('user.password')} required={!user} autoComplete="new-password" {...form.getInputProps('password')} />
        <TextInput label={t('user.prefixTh')} {...form.getInputProps('prefixTh')} />
        <TextInput label={t('user.firstNameTh')} required {...form.getInputProps('firstNameTh')} />
        <TextInput label={t('user.lastNameTh')} required {...form.getInputProps('lastNameTh')} />
        <TextInput label={t('user.nameEn')} {...form.getInputProps('nameEn')} />
        <TextInput label={t('user.email')} type="email" {...form.getInputProps('email')} />
        <TextInput label={t('user.phone')} type="tel" {...form.getInputProps('phone')} />
        <NativeSelect label={t('user.unit')} data={choices(t('common.none'), units, (u) => unitName(u, locale))} {...form.getInputProps('unitId')} />
        <NativeSelect label={t('user.position')} data={choices(t('common.none'), positions, (p) => positionTitle(p, locale))} {...form.getInputProps('positionId')} />
        <NativeSelect label={t('user.locale')} data={[{ value: 'th', label: t('lang.th') }, { value: 'en', label: t('lang.en') }]} {...form.getInputProps('locale')} />
      </SimpleGrid>
      <Checkbox.Group label={t('user.groups')} value={form.values.groupIds.map(String)} onChange={(v) => form.setFieldValue('groupIds', v.map(Number))} error={form.errors.groupIds}>
        <Group mt="xs">
          {groups.map((g) => (
            <Checkbox key={g.id} value={String(g.id)} label={groupName(g, locale)} />
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
  const editing = useEditing<User>();
  const unitById = byId(units.data);
  const positionById = byId(positions.data);
  const filters = (
    <Group align="flex-end">
      {select}
      <TextInput label={t('common.search')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} maw={320} />
    </Group>
  );

  return (
    <ListPage title={t('user.title')} newLabel={t('user.new')} onNew={editing.create} filters={filters} error={users.error}>
      <ListTable
        label={t('user.title')}
        minWidth={700}
        rows={users.data ?? []}
        columns={[
          { header: t('user.name'), cell: (u) => userName(u, locale) },
          { header: t('user.username'), cell: (u) => u.username },
          { header: t('user.position'), cell: (u) => (u.positionId ? positionTitle(positionById.get(u.positionId), locale) : '—') },
          { header: t('user.unit'), cell: (u) => (u.unitId ? unitName(unitById.get(u.unitId), locale) : '—') },
          { header: t('common.status'), cell: (u) => <ActiveBadge active={u.active} /> },
        ]}
        actions={(u) => (
          <RowButton label={`${t('common.edit')} ${u.username}`} onClick={async () => editing.edit(await api.get<User>(`/users/${u.id}`))}>
            {t('common.edit')}
          </RowButton>
        )}
      />
      {editing.open && <UserForm orgId={orgId} user={editing.item} units={units.data ?? []} positions={positions.data ?? []} groups={groups.data ?? []} onClose={editing.close} />}
    </ListPage>
  );
}
