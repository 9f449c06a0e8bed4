// Groups and roles: list, add, rename, and their members (add/remove).
import { useState } from 'react';
import { Badge, Button, Group, Modal, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { userName } from './names';
import { useI18n } from '../../i18n';
import type { Group as UserGroup, User } from '../../lib/types';
import { FormModal, PageHeader, QueryError, errorText, nullIfEmpty, requiredFields, useAdminOrg, useList, useSubmit } from './kit';

function GroupForm({ orgId, group, onClose }: { orgId: number; group: UserGroup | null; onClose: () => void }) {
  const { t } = useI18n();
  const initialValues = { key: group?.key ?? '', nameTh: group?.nameTh ?? '', nameEn: group?.nameEn ?? '' };
  const form = useForm({ initialValues, validate: requiredFields<typeof initialValues>(t, ['key', 'nameTh']) });
  const listPath = `/organisations/${orgId}/groups`;
  const { onSubmit, busy, formError } = useSubmit(
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
    <FormModal opened onClose={onClose} title={group ? t('common.edit') : t('group.new')} onSubmit={onSubmit} busy={busy} formError={formError}>
      <TextInput label={t('group.key')} required disabled={!!group} placeholder="legal-team" {...form.getInputProps('key')} />
      <TextInput label={t('group.nameTh')} required {...form.getInputProps('nameTh')} />
      <TextInput label={t('group.nameEn')} {...form.getInputProps('nameEn')} />
    </FormModal>
  );
}

function MembersModal({ orgId, group, onClose }: { orgId: number; group: UserGroup; onClose: () => void }) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const path = `/groups/${group.id}/members`;
  const members = useList<User>(path);
  const users = useList<User>(`/organisations/${orgId}/users`);
  const [pick, setPick] = useState('');
  const change = useMutation({
    mutationFn: ({ userId, add }: { userId: number; add: boolean }) => (add ? api.put(`${path}/${userId}`) : api.delete(`${path}/${userId}`)),
    onSuccess: () => {
      setPick('');
      return queryClient.invalidateQueries({ queryKey: [path] });
    },
  });
  const memberIds = new Set((members.data ?? []).map((m) => m.id));
  return (
    <Modal opened onClose={onClose} title={t('group.membersOf', { name: (locale === 'en' && group.nameEn) || group.nameTh })} size="lg">
      <Stack>
        <QueryError error={members.error ?? change.error} />
        {change.error && <Text c="red">{errorText(change.error, t)}</Text>}
        <Group align="flex-end">
          <NativeSelect
            label={t('group.pickUser')}
            value={pick}
            onChange={(e) => setPick(e.currentTarget.value)}
            data={[{ value: '', label: '—' }, ...(users.data ?? []).filter((u) => !memberIds.has(u.id)).map((u) => ({ value: String(u.id), label: `${userName(u, locale)} (${u.username})` }))]}
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
  const [editing, setEditing] = useState<UserGroup | null | 'new'>(null);
  const [membersOf, setMembersOf] = useState<UserGroup | null>(null);
  return (
    <>
      <PageHeader title={t('group.title')} action={<Button onClick={() => setEditing('new')}>{t('group.new')}</Button>}>
        {select}
      </PageHeader>
      <QueryError error={groups.error} />
      <Table.ScrollContainer minWidth={600}>
        <Table striped highlightOnHover aria-label={t('group.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('group.nameTh')}</Table.Th>
              <Table.Th>{t('group.key')}</Table.Th>
              <Table.Th>{t('group.isRole')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(groups.data ?? []).map((g) => (
              <Table.Tr key={g.id}>
                <Table.Td>{(locale === 'en' && g.nameEn) || g.nameTh}</Table.Td>
                <Table.Td>
                  <code>{g.key}</code>
                </Table.Td>
                <Table.Td>{g.isRole ? <Badge variant="light">{t('group.isRole')}</Badge> : '—'}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button size="xs" variant="subtle" onClick={() => setMembersOf(g)}>
                      {t('group.members')}
                    </Button>
                    <Button size="xs" variant="subtle" onClick={() => setEditing(g)}>
                      {t('common.edit')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editing && <GroupForm orgId={orgId} group={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {membersOf && <MembersModal orgId={orgId} group={membersOf} onClose={() => setMembersOf(null)} />}
    </>
  );
}
