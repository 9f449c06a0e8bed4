// Groups and roles: list, add, rename, and their members (add/remove).
import { useState } from 'react';
import { Badge, Button, Group, Modal, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { api } from '../../lib/api';
import { groupName, userName } from './names';
import { useI18n } from '../../i18n';
import type { Group as UserGroup, User } from '../../lib/types';
import { FormModal, ListPage, ListTable, QueryError, RowActions, RowButton, choices, errorText, nullIfEmpty, requiredFields, useAdminOrg, useEditing, useList, useListChange, useSubmit } from './kit';

function GroupForm({ orgId, group, onClose }: { orgId: number; group: UserGroup | null; onClose: () => void }) {
  const { t } = useI18n();
  const initialValues = { key: group?.key ?? '', nameTh: group?.nameTh ?? '', nameEn: group?.nameEn ?? '' };
  const form = useForm({ initialValues, validate: requiredFields<typeof initialValues>(t, ['key', 'nameTh']) });
  const listPath = `/organisations/${orgId}/groups`;
  const submit = useSubmit(
    form,
    (v) => {
      const body = nullIfEmpty(v, ['nameEn']);
      if (group) {
        const { key: _k, ...rest } = body;
        return api.patch<UserGroup>(`/groups/${group.id}`, rest);
      }
      return api.post<UserGroup>(listPath, body);
    },
    { invalidate: [listPath], onDone: onClose },
  );
  return (
    <FormModal opened onClose={onClose} title={group ? t('common.edit') : t('group.new')} {...submit}>
      <TextInput label={t('group.key')} required disabled={!!group} placeholder="legal-team" {...form.getInputProps('key')} />
      <TextInput label={t('group.nameTh')} required {...form.getInputProps('nameTh')} />
      <TextInput label={t('group.nameEn')} {...form.getInputProps('nameEn')} />
    </FormModal>
  );
}

function MembersModal({ orgId, group, onClose }: { orgId: number; group: UserGroup; onClose: () => void }) {
  const { t, locale } = useI18n();
  const path = `/groups/${group.id}/members`;
  const members = useList<User>(path);
  const users = useList<User>(`/organisations/${orgId}/users`);
  const [pick, setPick] = useState('');
  const change = useListChange(({ userId, add }: { userId: number; add: boolean }) => (add ? api.put(`${path}/${userId}`) : api.delete(`${path}/${userId}`)), path, () => setPick(''));
  const memberIds = new Set((members.data ?? []).map((m) => m.id));
  return (
    <Modal opened onClose={onClose} title={t('group.membersOf', { name: groupName(group, locale) })} size="lg">
      <Stack>
        <QueryError error={members.error ?? change.error} />
        {change.error && <Text c="red">{errorText(change.error, t)}</Text>}
        <Group align="flex-end">
          <NativeSelect
            label={t('group.pickUser')}
            value={pick}
            onChange={(e) => setPick(e.currentTarget.value)}
            data={choices('—', (users.data ?? []).filter((u) => !memberIds.has(u.id)), (u) => `${userName(u, locale)} (${u.username})`)}
            style={{ flex: 1 }}
          />
          <Button disabled={!pick} loading={change.isPending} onClick={() => change.mutate({ userId: Number(pick), add: true })}>
            {t('group.addMember')}
          </Button>
        </Group>
        <Table aria-label={t('group.members')}>
          <Table.Tbody>
            {(members.data ?? []).map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td>{userName(m, locale)}</Table.Td>
                <Table.Td>{m.username}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="subtle" color="red" onClick={() => change.mutate({ userId: m.id, add: false })} aria-label={`${t('group.removeMember')} ${m.username}`}>
                    {t('group.removeMember')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Modal>
  );
}

export function GroupsPage() {
  const { t, locale } = useI18n();
  const { orgId, select } = useAdminOrg();
  const groups = useList<UserGroup>(`/organisations/${orgId}/groups`);
  const editing = useEditing<UserGroup>();
  const [membersOf, setMembersOf] = useState<UserGroup | null>(null);
  return (
    <ListPage title={t('group.title')} newLabel={t('group.new')} onNew={editing.create} filters={select} error={groups.error}>
      <ListTable
        label={t('group.title')}
        rows={groups.data ?? []}
        columns={[
          { header: t('group.nameTh'), cell: (g) => groupName(g, locale) },
          { header: t('group.key'), cell: (g) => <code>{g.key}</code> },
          { header: t('group.isRole'), cell: (g) => (g.isRole ? <Badge variant="light">{t('group.isRole')}</Badge> : '—') },
        ]}
        actions={(g) => (
          <RowActions>
            <RowButton onClick={() => setMembersOf(g)}>{t('group.members')}</RowButton>
            <RowButton onClick={() => editing.edit(g)}>{t('common.edit')}</RowButton>
          </RowActions>
        )}
      />
      {editing.open && <GroupForm orgId={orgId} group={editing.item} onClose={editing.close} />}
      {membersOf && <MembersModal orgId={orgId} group={membersOf} onClose={() => setMembersOf(null)} />}
    </ListPage>
  );
}
