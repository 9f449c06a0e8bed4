// The letter's endorsement chain (เกษียน), in order and append-only, and its route: where it is
// now, who holds it, the steps done (by whom, with what they wrote).
import { List, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useI18n } from '../../i18n';
import { useEndorsements, useLetterRoute } from './queries';

export function EndorsementChain({ documentId, testId = 'endorsement-chain' }: { documentId: number; testId?: string }) {
  const { t, date, locale } = useI18n();
  const chain = useEndorsements(documentId);
  const items = chain.data?.items ?? [];
  return (
    <Stack gap="xs" data-testid={testId}>
      <Title order={3} size="h5">
        {t('doc.endorsements')}
      </Title>
      {chain.isLoading && <Loader size="sm" role="status" aria-label={t('common.loading')} />}
      {chain.isSuccess && items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('doc.noEndorsements')}
        </Text>
      )}
      {items.map((e) => (
        <Paper key={e.id} withBorder p="sm" data-testid="endorsement" data-seq={e.seq}>
          {e.decisionTh && <Text fw={700}>{e.decisionTh}</Text>}
          {e.text && <Text style={{ whiteSpace: 'pre-line' }}>{e.text}</Text>}
          <Text size="sm" mt={4} style={{ whiteSpace: 'pre-line' }}>
            {e.signatureBlock}
          </Text>
          <Text size="xs" c="dimmed">
            {locale === 'th' ? `${e.dateTh} ${e.timeTh}` : date(e.createdAt, 'shortDateTime')}
          </Text>
        </Paper>
      ))}
    </Stack>
  );
}

export function LetterRouteView({ documentId }: { documentId: number }) {
  const { t, date } = useI18n();
  const route = useLetterRoute(documentId);
  if (route.isError) return null; // not everyone who reads a letter may follow its processes
  const data = route.data;
  return (
    <Stack gap="xs" data-testid="letter-route">
      <Title order={3} size="h5">
        {t('doc.route')}
      </Title>
      {!data && <Loader size="sm" role="status" aria-label={t('common.loading')} />}
      {data && data.instances.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('doc.noRoute')}
        </Text>
      )}
      {data && data.current.length > 0 && (
        <List size="sm" spacing={4}>
          {data.current.map((s) => (
            <List.Item key={s.taskId}>
              <Text span fw={600}>
                {t('doc.routeNow')}: {s.name}
              </Text>{' '}
              — {s.holders.map((h) => h.name).join(', ')} ({t('doc.since')} {date(s.since, 'shortDateTime')})
            </List.Item>
          ))}
        </List>
      )}
      {data && data.done.length > 0 && (
        <List size="sm" spacing={4}>
          {data.done.map((s) => (
            <List.Item key={s.taskId}>
              {t('doc.routeDone')}: {s.name} ({date(s.completedAt, 'shortDateTime')})
              {s.completedByName && ` — ${s.completedByName}`}
              {s.note && `: ${s.note}`}
            </List.Item>
          ))}
        </List>
      )}
      {data && data.instances.length > 0 && data.current.length === 0 && data.instances.every((i) => i.status !== 'running') && (
        <Text size="sm">{t('doc.routeEnded')}</Text>
      )}
    </Stack>
  );
}
