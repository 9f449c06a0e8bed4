// Compare two deployed versions of a process: the server lists what was added, removed and
// changed (GET /workflow/definitions/:key/compare), and the shared read-only viewer colours it on
// the diagram — the newer version shows added and changed elements, the older one removed and
// changed ones. The bpmn.io watermark stays visible.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Group, List, Modal, NativeSelect, ScrollArea, SegmentedControl, Stack, Text } from '@mantine/core';
import { BpmnViewer } from '../../components/bpmn/BpmnViewer';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { workflowApi, type Definition, type ElementRef, type VersionComparison } from './workflowApi';

const MARKERS = { added: 'saraban-diff-added', changed: 'saraban-diff-changed', removed: 'saraban-diff-removed' } as const;
type Side = 'to' | 'from';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The classes for one side: the newer version shows what was added, the older what was removed; both what changed. */
function diffMarkers(result: VersionComparison, side: Side): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const mark = (items: ElementRef[], marker: string) => items.forEach((e) => (out[e.id] ??= []).push(marker));
  if (side === 'to') mark(result.added, MARKERS.added);
  else mark(result.removed, MARKERS.removed);
  mark(result.changed, MARKERS.changed);
  return out;
}

const name = (e: ElementRef) => (e.name ? `${e.name} (${e.id})` : e.id);

function ElementList({ color, label, items, testId }: { color: string; label: string; items: ElementRef[]; testId: string }) {
  if (!items.length) return null;
  return (
    <div>
      <Badge color={color} variant="light">
        {label}
      </Badge>
      <List size="sm" data-testid={testId}>
        {items.map((e) => (
          <List.Item key={e.id}>{name(e)}</List.Item>
        ))}
      </List>
    </div>
  );
}

export function CompareVersions({ def, onClose }: { def: Definition; onClose: () => void }) {
  const { t } = useI18n();
  const numbers = def.versions.map((v) => v.version).sort((a, b) => a - b);
  const [from, setFrom] = useState(numbers[numbers.length - 2] ?? numbers[0]);
  const [to, setTo] = useState(numbers[numbers.length - 1]);
  const [result, setResult] = useState<VersionComparison | null>(null);
  const [shown, setShown] = useState<Side>('to');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The XML of the side on the diagram, with which side it is, so its colours never go on the other one.
  const [drawn, setDrawn] = useState<{ result: VersionComparison; side: Side; xml: string } | null>(null);

  useEffect(() => {
    if (!result) return;
    let cancelled = false;
    workflowApi.xml(result.key, shown === 'to' ? result.to : result.from).then(
      (xml) => !cancelled && setDrawn({ result, side: shown, xml }),
      (err: unknown) => !cancelled && setError(message(err)),
    );
    return () => {
      cancelled = true;
    };
  }, [result, shown]);
  const markers = useMemo(() => (drawn ? diffMarkers(drawn.result, drawn.side) : undefined), [drawn]);

  const compare = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await workflowApi.compare(def.key, from, to));
      setShown('to');
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  const options = numbers.map((n) => ({ value: String(n), label: t('modeler.version', { version: n }) }));
  const value = (v: string | null) => v ?? t('modeler.diffEmpty');

  return (
    <Modal opened onClose={onClose} size="90%" title={t('modeler.compareTitle', { name: def.name ?? def.key })}>
      <Stack gap="sm">
        <Group align="end" wrap="wrap">
          <NativeSelect label={t('modeler.compareFrom')} data={options} value={String(from)} onChange={(e) => setFrom(Number(e.currentTarget.value))} data-testid="compare-from" />
          <NativeSelect label={t('modeler.compareTo')} data={options} value={String(to)} onChange={(e) => setTo(Number(e.currentTarget.value))} data-testid="compare-to" />
          <Button onClick={compare} loading={busy}>
            {t('modeler.compareRun')}
          </Button>
        </Group>
        {error && <Alert color="red">{error}</Alert>}
        {result && (
          <>
            {result.added.length + result.removed.length + result.changed.length === 0 && <Alert color="gray">{t('modeler.compareNone')}</Alert>}
            <ScrollArea.Autosize mah={220}>
              <Stack gap={4} data-testid="version-diff">
                <ElementList color="green" label={t('modeler.diffAdded', { count: result.added.length })} items={result.added} testId="diff-added" />
                <ElementList color="red" label={t('modeler.diffRemoved', { count: result.removed.length })} items={result.removed} testId="diff-removed" />
                {result.changed.length > 0 && (
                  <div>
                    <Badge color="orange" variant="light">{t('modeler.diffChanged', { count: result.changed.length })}</Badge>
                    <List size="sm" data-testid="diff-changed">
                      {result.changed.map((e) => (
                        <List.Item key={e.id} data-element-id={e.id}>
                          {name(e)}
                          {e.changes.map((c) => (
                            <Text key={c.field} size="xs" c="dimmed">
                              {t(`modeler.field.${c.field}` as MessageKey)}: {value(c.from)} → {value(c.to)}
                            </Text>
                          ))}
                        </List.Item>
                      ))}
                    </List>
                  </div>
                )}
              </Stack>
            </ScrollArea.Autosize>
            <Group gap="sm" wrap="wrap">
              <Text size="sm">{t('modeler.compareShow')}</Text>
              <SegmentedControl
                size="xs"
                value={shown}
                onChange={(v) => setShown(v as Side)}
                data={[
                  { value: 'to', label: t('modeler.version', { version: result.to }) },
                  { value: 'from', label: t('modeler.version', { version: result.from }) },
                ]}
              />
              <Text size="xs" c="dimmed">
                {t('modeler.diffLegend')}
              </Text>
            </Group>
          </>
        )}
        {result && drawn && <BpmnViewer xml={drawn.xml} markers={markers} height={380} testId="compare-canvas" onError={(err) => setError(message(err))} />}
      </Stack>
    </Modal>
  );
}
