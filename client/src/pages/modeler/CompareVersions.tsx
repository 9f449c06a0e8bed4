// Compare two deployed versions of a process: the server lists what was added, removed and
// changed (GET /workflow/definitions/:key/compare), and a read-only bpmn-js viewer colours it on
// the diagram — the newer version shows added and changed elements, the older one removed and
// changed ones. The bpmn.io watermark stays visible.
import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, List, Modal, NativeSelect, ScrollArea, SegmentedControl, Stack, Text } from '@mantine/core';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { DIAGRAM_TEXT } from './newDiagram';
import { workflowApi, type Definition, type ElementRef, type VersionComparison } from './workflowApi';

const MARKERS = { added: 'saraban-diff-added', changed: 'saraban-diff-changed', removed: 'saraban-diff-removed' } as const;

interface Canvas {
  addMarker: (id: string, marker: string) => void;
  zoom: (mode: string, center?: 'auto') => void;
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
  const [shown, setShown] = useState<'to' | 'from'>('to');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const [viewer, setViewer] = useState<NavigatedViewer | null>(null);

  useEffect(() => {
    if (!container) return;
    const v = new NavigatedViewer({ container, ...DIAGRAM_TEXT });
    setViewer(v);
    return () => {
      v.destroy();
      setViewer(null);
    };
  }, [container]);

  // Draw the chosen side of the comparison with its elements coloured.
  useEffect(() => {
    if (!viewer || !result) return;
    let cancelled = false;
    const version = shown === 'to' ? result.to : result.from;
    workflowApi
      .xml(result.key, version)
      .then((xml) => viewer.importXML(xml))
      .then(() => {
        if (cancelled) return;
        const canvas = viewer.get('canvas') as Canvas;
        const registry = viewer.get('elementRegistry') as { get: (id: string) => unknown };
        const mark = (ids: string[], marker: string) => ids.filter((id) => registry.get(id)).forEach((id) => canvas.addMarker(id, marker));
        if (shown === 'to') mark(result.added.map((e) => e.id), MARKERS.added);
        else mark(result.removed.map((e) => e.id), MARKERS.removed);
        mark(result.changed.map((e) => e.id), MARKERS.changed);
        canvas.zoom('fit-viewport', 'auto');
      })
      .catch((err: unknown) => !cancelled && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      cancelled = true;
    };
  }, [viewer, result, shown]);

  const compare = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await workflowApi.compare(def.key, from, to));
      setShown('to');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
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
                onChange={(v) => setShown(v as 'to' | 'from')}
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
        <div className="compare-canvas" ref={setContainer} data-testid="compare-canvas" style={{ display: result ? 'block' : 'none' }} />
      </Stack>
    </Modal>
  );
}
