// A citizen's letter in the tray: who wrote it and how to reach them (the contact data only the
// organisation's registry clerks read, the ID number masked), fetched when the clerk opens it.
import { Badge, Button, Group, Loader, Popover } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useI18n } from '../../i18n';
import { api } from '../../lib/api';
import { CitizenContactTable } from '../../components/document/CitizenReplyLink';

interface Submission { trackingCode: string; name: string; idNumberMasked: string; address: string; phone: string | null; email: string }

function Details({ deliveryId }: { deliveryId: number }) {
  const q = useQuery({ queryKey: ['citizens', 'by-delivery', deliveryId], queryFn: () => api.get<{ items: Submission[] }>(`/citizens/submissions?deliveryId=${deliveryId}`), retry: false });
  const s = q.data?.items[0];
  if (!s) return q.isLoading ? <Loader size="sm" role="status" aria-label="loading" /> : null;
  return <CitizenContactTable s={s} />;
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
