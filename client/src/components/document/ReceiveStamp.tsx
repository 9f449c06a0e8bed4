// The receive stamp (ตรารับหนังสือ) as the regulation draws it: the agency, เลขรับ, วันที่ (B.E.),
// เวลา (`10.35 น.`, as the server words it; `10:35` in English).
import { Paper, Stack, Text, Title } from '@mantine/core';
import { useI18n } from '../../i18n';
import type { Registration } from './types';

export function ReceiveStamp({ registration, agency }: { registration: Registration; agency: string }) {
  const { t, date, locale } = useI18n();
  return (
    <Paper withBorder p="md" maw={360} data-testid="receive-stamp" aria-label={t('doc.stamp')} style={{ borderWidth: 3, borderColor: 'var(--mantine-color-blue-8)' }}>
      <Stack gap={4}>
        <Title order={3} size="h5" c="blue.9">
          {agency}
        </Title>
        <Text fz="xl" fw={700} c="blue.9">
          {t('doc.receiveNumber')} {registration.number}
        </Text>
        <Text c="blue.9">
          {t('doc.date')} {date(registration.registeredAt, 'long')}
        </Text>
        <Text c="blue.9">
          {t('doc.time')} {locale === 'th' ? registration.timeTh : date(registration.registeredAt, 'time')}
        </Text>
      </Stack>
    </Paper>
  );
}
