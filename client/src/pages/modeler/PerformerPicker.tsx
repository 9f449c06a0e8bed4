// Who performs the selected user task, picked from the designer's own organisation (its groups,
// units, positions and people, read through the organisation API) instead of typed from memory.
// A pick is written into the task's Camunda attributes as the server reads them
// (server/modules/workflow/performers.ts): a group key, unit:<id>, position:<id>, a user name.
import { useMemo, useState } from 'react';
import { Button, Group, Paper, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useAuth } from '../../lib/auth';
import { useI18n } from '../../i18n';
import type { Group as OrgGroup, Position, Unit, User } from '../../lib/types';
import { useList } from '../admin/kit';

type Kind = 'group' | 'unit' | 'position' | 'user';

/** The business object of a user task, as bpmn-moddle gives it. */
export interface TaskObject {
  id: string;
  name?: string;
  get: (name: string) => unknown;
}

interface Props {
  task: TaskObject;
  /** Writes Camunda attributes on the task (bpmn-js modeling.updateProperties, so undo works). */
  update: (properties: Record<string, string | undefined>) => void;
}

const list = (value: unknown) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : []);

export function PerformerPicker({ task, update }: Props) {
  const { t } = useI18n();
  const { me } = useAuth();
  const orgId = me?.organisation.id;
  const path = (what: string) => (orgId ? `/organisations/${orgId}/${what}` : null);
  const groups = useList<OrgGroup>(path('groups'));
  const units = useList<Unit>(path('units'));
  const positions = useList<Position>(path('positions'));
  const users = useList<User>(path('users'));
  const [kind, setKind] = useState<Kind>('group');
  const [picked, setPicked] = useState<string | null>(null);

  /** Every performer token with the name a person reads. */
  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const g of groups.data ?? []) m.set(g.key, g.nameTh);
    for (const u of units.data ?? []) m.set(`unit:${u.id}`, u.nameTh);
    for (const p of positions.data ?? []) m.set(`position:${p.id}`, p.titleTh);
    for (const u of users.data ?? []) m.set(u.username, u.displayName);
    return m;
  }, [groups.data, units.data, positions.data, users.data]);

  const options = useMemo(() => {
    const of = {
      group: (groups.data ?? []).map((g) => ({ value: g.key, label: `${g.nameTh} (${g.key})` })),
      unit: (units.data ?? []).filter((u) => u.active).map((u) => ({ value: `unit:${u.id}`, label: u.nameTh })),
      position: (positions.data ?? []).filter((p) => p.active).map((p) => ({ value: `position:${p.id}`, label: p.titleTh })),
      user: (users.data ?? []).filter((u) => u.active).map((u) => ({ value: u.username, label: `${u.displayName} (${u.username})` })),
    };
    return of[kind];
  }, [kind, groups.data, units.data, positions.data, users.data]);

  const candidateAttr = kind === 'user' ? 'camunda:candidateUsers' : 'camunda:candidateGroups';
  const addCandidate = () => {
    if (!picked) return;
    const current = list(task.get(candidateAttr));
    if (!current.includes(picked)) update({ [candidateAttr]: [...current, picked].join(',') });
    setPicked(null);
  };
  const setAssignee = () => {
    if (!picked) return;
    update({ 'camunda:assignee': picked });
    setPicked(null);
  };

  const current = [
    ...list(task.get('camunda:assignee')).map((v) => ({ v, field: t('modeler.field.assignee') })),
    ...list(task.get('camunda:candidateGroups')).map((v) => ({ v, field: t('modeler.field.candidateGroups') })),
    ...list(task.get('camunda:candidateUsers')).map((v) => ({ v, field: t('modeler.field.candidateUsers') })),
  ];

  return (
    <Paper withBorder p="xs" data-testid="performer-picker">
      <Stack gap={6}>
        <Text fw={600} size="sm">
          {t('modeler.performers', { name: task.name || task.id })}
        </Text>
        <SegmentedControl
          size="xs"
          fullWidth
          aria-label={t('modeler.performerKind')}
          value={kind}
          onChange={(v) => (setKind(v as Kind), setPicked(null))}
          data={(['group', 'unit', 'position', 'user'] as const).map((k) => ({ value: k, label: t(`modeler.kind.${k}`) }))}
        />
        <Select
          size="xs"
          searchable
          clearable
          label={t('modeler.performerPick')}
          data={options}
          value={picked}
          onChange={setPicked}
          nothingFoundMessage={t('common.none')}
          comboboxProps={{ withinPortal: true }}
        />
        <Group gap="xs">
          <Button size="compact-sm" disabled={!picked} onClick={addCandidate}>
            {t('modeler.addCandidate')}
          </Button>
          {kind === 'user' && (
            <Button size="compact-sm" variant="light" disabled={!picked} onClick={setAssignee}>
              {t('modeler.setAssignee')}
            </Button>
          )}
        </Group>
        <Text size="xs" c="dimmed" data-testid="current-performers">
          {t('modeler.currentPerformers')}:{' '}
          {current.length ? current.map(({ v, field }) => `${field}: ${names.get(v) ?? v}`).join(' · ') : t('modeler.noPerformers')}
        </Text>
      </Stack>
    </Paper>
  );
}
