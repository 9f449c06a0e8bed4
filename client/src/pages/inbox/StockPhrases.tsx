// The organisation's stock endorsement phrases as buttons above the endorsement: one press puts
// the phrase in (and chooses its decision); the text stays editable.
import { useId } from 'react';
import { Button, Group, Stack, Text } from '@mantine/core';
import { useI18n } from '../../i18n';
import { filledIn, UNIT_PLACEHOLDER, type Phrase } from './phrases';

export function StockPhrases({ phrases, unitName, onPick }: { phrases: Phrase[]; unitName: string | null; onPick: (phrase: Phrase) => void }) {
  const { t } = useI18n();
  const labelId = useId();
  if (!phrases.length) return null;
  return (
    <Stack gap={4} role="group" aria-labelledby={labelId} data-testid="stock-phrases">
      <Text id={labelId} size="sm" fw={500}>
        {t('phrases.pick')}{' '}
        <Text span size="xs" c="dimmed">
          ({t('phrases.pickHint')})
        </Text>
      </Text>
      <Group gap={6}>
        {phrases.map((p) => (
          <Button
            key={p.id}
            size="compact-sm"
            variant="light"
            radius="xl"
            h="auto"
            py={2}
            maw="100%"
            styles={{ label: { whiteSpace: 'normal', textAlign: 'left' } }}
            data-decision={p.decision}
            onClick={() => onPick(p)}
          >
            {filledIn(p.text, unitName).split(UNIT_PLACEHOLDER).join('…')}
          </Button>
        ))}
      </Group>
    </Stack>
  );
}
