// A citizen's letter in the tray: who wrote it and how to reach them (the contact data only the
// organisation's registry clerks read, the ID number masked), fetched when the clerk opens it.
import { Badge, Button, Group, Loader, Popover, Table } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useI18n } from '../../i18n';
import { api } from '../../lib/api';

interface Submission { trackingCode: string; name: string; idNumberMasked: string; address: string; phone: string | null; email: string }

function Details({ deliveryId }: { deliveryId: number }) {
  const { t } = useI18n();
  const q = useQuery({ queryKey: ['citizens', 'by-delivery', deliveryId], queryFn: () => api.get<{ items: Submission[] }>(`/citizens/submissions?deliveryId=${deliveryId}`), retry: false });
  const s = q.data?.items[0];
  if (!s) return q.isLoading ? <Loader size="sm" role="status" aria-label="loading" /> : null;
  const row = (label: string, value: string) => (
    <Table.Tr><Table.Th>{label}</Table.Th><Table.Td>{value}</Table.Td></Table.Tr>
  );
  return (
    <Table variant="vertical" withTableBorder>
      <Table.Tbody>
        {row(t('citizen.code'), s.trackingCode)}
        {row(t('citizen.idNumber'), s.idNumberMasked)}
        {row(t('citizen.address'), s.address)}
        {row(t('citizen.phone'), s.phone ?? '—')}
        {row(t('citizen.email'), s.email)}
      </Table.Tbody>
    </Table>
  );
}

export function CitizenSender({ deliveryId, name }: { deliveryId: number; name: string }) {
  const { t } = useI18n();
  return (
    <Group gap={4}>
      <span>{name}</span>
      <Badge variant="outline" color="grape.9">{t('citizen.badge')}</Badge>
      <Popover width={360} position="bottom-start" withArrow shadow="md">
        <Popover.Target>
          <Button size="compact-xs" variant="subtle" aria-label={t('citizen.contactOf', { name })}>{t('citizen.contact')}</Button>
        </Popover.Target>
        <Popover.Dropdown>
          <Details deliveryId={deliveryId} />
        </Popover.Dropdown>
      </Popover>
    </Group>
  );
}
