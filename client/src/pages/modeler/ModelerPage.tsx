// The process modeler: bpmn-js with the properties panel and the Camunda 7 moddle, so designers
// set assignees, candidate groups, due dates, form fields, conditions and timers. Diagrams are
// imported from a file or opened from a deployed version, validated and deployed by the server;
// the server's element errors are drawn on the diagram; two deployed versions can be compared
// (CompareVersions). The bpmn.io watermark stays visible. bpmn-js and its properties panel speak
// the app's language (diagramText's translate module); a new diagram asks for its process id; a
// user task's performers are picked from the organisation (PerformerPicker); errors name elements.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Badge, Button, FileButton, Group, List, Paper, ScrollArea, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import BpmnModeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule } from 'bpmn-js-properties-panel';
import CamundaBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-platform';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import { ApiError } from '../../lib/api';
import { useI18n } from '../../i18n';
import { DIAGRAM_TEXT, ThaiTextModule, translateModule } from '../../components/bpmn/diagramText';
import '../../components/bpmn/bpmn.css';
import { NEW_DIAGRAM, PLACEHOLDER_ID, newDiagram } from './newDiagram';
import { NewProcessDialog } from './NewProcessDialog';
import { PerformerPicker, type TaskObject } from './PerformerPicker';
import { workflowApi, type Definition } from './workflowApi';
import { CompareVersions } from './CompareVersions';

interface ElementIssue {
  elementId?: string;
  /** The element's name (or its translated type when it has none), as the designer knows it. */
  label?: string;
  message: string;
}

interface Shape {
  id: string;
  type: string;
  businessObject: TaskObject;
}

interface Services {
  overlays: { add: (id: string, type: string, o: { position: Record<string, number>; html: HTMLElement }) => void; remove: (filter: { type: string }) => void };
  canvas: { addMarker: (id: string, marker: string) => void; removeMarker: (id: string, marker: string) => void; zoom: (mode: string, center?: 'auto') => void; scrollToElement: (el: unknown) => void; getRootElement: () => Shape };
  elementRegistry: { get: (id: string) => Shape | undefined };
  selection: { select: (el: unknown) => void };
  eventBus: { on: (event: string, cb: (e: { newSelection?: Shape[] }) => void) => void };
  modeling: { updateProperties: (el: Shape, props: Record<string, string | undefined>) => void };
  translate: (template: string) => string;
}

const ERROR_MARKER = 'saraban-element-error';
const ERROR_OVERLAY = 'saraban-error';

export function ModelerPage() {
  const { t, date, locale } = useI18n();
  const canvasRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const modelerRef = useRef<BpmnModeler | null>(null);
  const markedRef = useRef<string[]>([]);
  const [issues, setIssues] = useState<ElementIssue[]>([]);
  const [fileName, setFileName] = useState('diagram.bpmn');
  const [serverMissing, setServerMissing] = useState(false);
  const [busy, setBusy] = useState<'validate' | 'deploy' | null>(null);
  const [status, setStatus] = useState<{ color: string; text: string } | null>(null);
  const [comparing, setComparing] = useState<Definition | null>(null);
  /** The process-id dialog: for "แผนภาพใหม่", or before deploying the starting diagram still named new_process. */
  const [naming, setNaming] = useState<'new' | 'deploy' | null>(null);
  /** Drawn as a new process and not yet deployed: its deployment must not clash with an existing process. */
  const [isNewProcess, setIsNewProcess] = useState(true);
  const [selectedTask, setSelectedTask] = useState<Shape | null>(null);
  /** Bumped when the model changes, so the performer picker shows the task's current values. */
  const [, setRevision] = useState(0);
  /** The diagram as last drawn or edited, so switching the language (a new modeler) keeps it. */
  const xmlRef = useRef(NEW_DIAGRAM);

  const definitions = useQuery({ queryKey: ['/workflow/definitions'], queryFn: workflowApi.list, retry: false });
  useEffect(() => {
    if (definitions.error instanceof ApiError && definitions.error.status === 404) setServerMissing(true);
  }, [definitions.error]);

  const service = useCallback(<K extends keyof Services>(name: K): Services[K] => modelerRef.current!.get(name) as Services[K], []);

  const clearIssues = useCallback(() => {
    if (!modelerRef.current) return;
    service('overlays').remove({ type: ERROR_OVERLAY });
    for (const id of markedRef.current) service('canvas').removeMarker(id, ERROR_MARKER);
    markedRef.current = [];
    setIssues([]);
  }, [service]);

  const showIssues = useCallback(
    (list: ElementIssue[]) => {
      clearIssues();
      setIssues(list);
      const registry = service('elementRegistry');
      for (const issue of list) {
        const el = issue.elementId ? registry.get(issue.elementId) : undefined;
        if (el) {
          issue.label = el.businessObject.name || service('translate')(typeLabel(el.type));
          // The server's message may quote the id: the designer knows the element by its name.
          if (el.businessObject.name) issue.message = issue.message.split(`"${issue.elementId}"`).join(`“${el.businessObject.name}”`);
        }
        if (!issue.elementId || !el) continue;
        service('canvas').addMarker(issue.elementId, ERROR_MARKER);
        markedRef.current.push(issue.elementId);
        const badge = document.createElement('div');
        badge.className = 'saraban-error-overlay';
        badge.textContent = issue.message;
        badge.title = `${issue.label ?? ''}: ${issue.message}`;
        badge.setAttribute('role', 'note');
        service('overlays').add(issue.elementId, ERROR_OVERLAY, { position: { bottom: -4, left: 0 }, html: badge });
      }
    },
    [clearIssues, service],
  );

  const importXml = useCallback(
    async (xml: string, name?: string) => {
      const modeler = modelerRef.current;
      if (!modeler) return;
      clearIssues();
      setStatus(null);
      try {
        const { warnings } = await modeler.importXML(xml);
        xmlRef.current = xml;
        setSelectedTask(null);
        service('canvas').zoom('fit-viewport', 'auto');
        if (name) notifications.show({ color: 'green', message: t('modeler.imported', { name }) });
        if (warnings.length) setStatus({ color: 'yellow', text: t('modeler.warnings', { count: warnings.length }) });
      } catch (err) {
        setStatus({ color: 'red', text: t('modeler.importFailed', { message: err instanceof Error ? err.message : String(err) }) });
      }
    },
    [clearIssues, service, t],
  );

  useEffect(() => {
    const modeler = new BpmnModeler({
      container: canvasRef.current!,
      propertiesPanel: { parent: panelRef.current! },
      additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule, CamundaBehaviorsModule, ThaiTextModule, translateModule(locale)],
      moddleExtensions: { camunda: camundaModdle },
      ...DIAGRAM_TEXT,
    } as ConstructorParameters<typeof BpmnModeler>[0]);
    modelerRef.current = modeler;
    const events = modeler.get('eventBus') as Services['eventBus'];
    events.on('selection.changed', ({ newSelection = [] }) => {
      const only = newSelection.length === 1 ? newSelection[0] : null;
      setSelectedTask(only?.type === 'bpmn:UserTask' ? only : null);
    });
    events.on('commandStack.changed', () => {
      setRevision((r) => r + 1);
      void modeler.saveXML({ format: true }).then(({ xml }) => {
        if (xml && modelerRef.current === modeler) xmlRef.current = xml;
      });
    });
    modeler
      .importXML(xmlRef.current)
      .then(() => (modeler.get('canvas') as Services['canvas']).zoom('fit-viewport', 'auto'))
      .catch(() => undefined); // destroyed before the import finished (the page was left)
    return () => {
      modeler.destroy();
      modelerRef.current = null;
      setSelectedTask(null);
    };
  }, [locale]);

  const currentXml = async () => (await modelerRef.current!.saveXML({ format: true })).xml ?? '';

  /** Runs a server call; 422 with element details is drawn on the diagram, 404 means the API is not there yet. */
  const serverCall = async (kind: 'validate' | 'deploy', asNew = isNewProcess) => {
    if (kind === 'deploy' && service('canvas').getRootElement().businessObject.id === PLACEHOLDER_ID) {
      setNaming('deploy'); // the starting diagram: it deploys under a name the designer gives, never new_process
      return;
    }
    setBusy(kind);
    setStatus(null);
    clearIssues();
    try {
      const xml = await currentXml();
      if (kind === 'validate') {
        await workflowApi.validate(xml, asNew);
        setStatus({ color: 'green', text: t('modeler.valid') });
      } else {
        const deployed = await workflowApi.deploy(xml, asNew);
        setIsNewProcess(false);
        setStatus({ color: 'green', text: t('modeler.deployed', { key: deployed.key, version: deployed.version }) });
        void definitions.refetch();
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && err.code === 'route_not_found') {
        setServerMissing(true);
      } else if (err instanceof ApiError && err.status === 422) {
        const list: ElementIssue[] = err.details.length ? err.details.map((d) => ({ elementId: d.elementId, message: d.message })) : [{ message: err.message }];
        showIssues(list);
        setStatus({ color: 'red', text: t('modeler.invalid', { count: list.length }) });
      } else if (err instanceof ApiError && err.status === 409) {
        setStatus({ color: 'red', text: err.message });
      } else {
        setStatus({ color: 'red', text: `${t('common.error')}: ${err instanceof Error ? err.message : String(err)}` });
      }
    } finally {
      setBusy(null);
    }
  };

  const download = async () => {
    const xml = await currentXml();
    const url = URL.createObjectURL(new Blob([xml], { type: 'application/xml' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName.endsWith('.bpmn') ? fileName : `${fileName}.bpmn`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const openVersion = async (def: Definition, version: number) => {
    try {
      await importXml(await workflowApi.xml(def.key, version), `${def.name ?? def.key} v${version}`);
      setIsNewProcess(false);
      setFileName(`${def.key}-v${version}.bpmn`);
    } catch (err) {
      setStatus({ color: 'red', text: `${t('common.error')}: ${err instanceof Error ? err.message : String(err)}` });
    }
  };

  const selectElement = (id?: string) => {
    if (!id || !modelerRef.current) return;
    const el = service('elementRegistry').get(id);
    if (!el) return;
    service('selection').select(el);
    service('canvas').scrollToElement(el);
  };

  return (
    <Stack gap="sm" h="calc(100vh - 110px)" mih={640}>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('modeler.title')}</Title>
        <Group gap="xs" wrap="wrap">
          <Button variant="default" onClick={() => setNaming('new')}>
            {t('modeler.new')}
          </Button>
          <FileButton
            accept=".bpmn,.xml,application/xml,text/xml"
            onChange={async (file) => {
              if (!file) return;
              setFileName(file.name);
              setIsNewProcess(false);
              await importXml(await file.text(), file.name);
            }}
          >
            {(props) => (
              <Button variant="default" {...props} data-testid="import-bpmn">
                {t('modeler.import')}
              </Button>
            )}
          </FileButton>
          <Button variant="default" onClick={download}>
            {t('modeler.export')}
          </Button>
          <Button variant="light" loading={busy === 'validate'} onClick={() => serverCall('validate')}>
            {t('modeler.validate')}
          </Button>
          <Button loading={busy === 'deploy'} onClick={() => serverCall('deploy')}>
            {t('modeler.deploy')}
          </Button>
        </Group>
      </Group>
      {serverMissing && (
        <Alert color="yellow" data-testid="workflow-api-missing">
          {t('modeler.noServer')}
        </Alert>
      )}
      {status && (
        <Alert color={status.color} role="status" data-testid="modeler-status">
          {status.text}
        </Alert>
      )}
      {issues.length > 0 && (
        <Paper withBorder p="xs">
          <Text fw={600} size="sm">
            {t('modeler.elementErrors')}
          </Text>
          <List size="sm" data-testid="element-errors">
            {issues.map((issue, i) => (
              <List.Item key={`${issue.elementId}-${i}`}>
                <UnstyledButton onClick={() => selectElement(issue.elementId)} c="red" fz="sm" title={issue.elementId}>
                  {issue.label ? <strong>{issue.label}</strong> : null}
                  {issue.label ? ': ' : null}
                  {issue.message}
                </UnstyledButton>
              </List.Item>
            ))}
          </List>
        </Paper>
      )}
      <Group className="modeler-layout" align="stretch" gap="sm" wrap="nowrap" style={{ flex: 1, minHeight: 0 }}>
        <div className="modeler-canvas" ref={canvasRef} data-testid="bpmn-canvas" />
        <Stack className="modeler-side" gap="xs">
          {selectedTask && (
            <PerformerPicker
              key={selectedTask.id}
              task={selectedTask.businessObject}
              update={(props) => service('modeling').updateProperties(selectedTask, props)}
            />
          )}
          <div className="modeler-properties" ref={panelRef} aria-label={t('modeler.properties')} data-testid="properties-panel" />
        </Stack>
      </Group>
      {!serverMissing && (
        <Paper withBorder p="xs">
          <Text fw={600} size="sm" mb={4}>
            {t('modeler.definitions')}
          </Text>
          <ScrollArea.Autosize mah={180}>
            {definitions.data?.items.length === 0 && <Text size="sm" c="dimmed">{t('modeler.noDefinitions')}</Text>}
            {definitions.data?.items.map((def) => (
              <Group key={def.key} gap="xs" mb={4} wrap="wrap">
                <Text size="sm" fw={600}>
                  {def.name ?? def.key}
                </Text>
                {def.versions.map((v) => (
                  <Button key={v.version} size="compact-xs" variant="subtle" onClick={() => openVersion(def, v.version)} title={t('modeler.deployedAt', { date: date(v.deployedAt, 'shortDateTime') })}>
                    {t('modeler.version', { version: v.version })}
                    {v.isActive && (
                      <Badge size="xs" ml={4} variant="light">
                        {t('modeler.activeVersion')}
                      </Badge>
                    )}
                  </Button>
                ))}
                {def.versions.length > 1 && (
                  <Button size="compact-xs" variant="light" onClick={() => setComparing(def)} data-testid={`compare-${def.key}`}>
                    {t('modeler.compare')}
                  </Button>
                )}
              </Group>
            ))}
          </ScrollArea.Autosize>
        </Paper>
      )}
      {naming && (
        <NewProcessDialog
          deployedKeys={definitions.data?.items.map((d) => d.key) ?? []}
          onClose={() => setNaming(null)}
          onCreate={(id, name) => {
            setNaming(null);
            setIsNewProcess(true);
            setFileName(`${id}.bpmn`);
            if (naming === 'new') void importXml(newDiagram(id, name));
            else {
              service('modeling').updateProperties(service('canvas').getRootElement(), { id, name });
              void serverCall('deploy', true);
            }
          }}
        />
      )}
      {comparing && <CompareVersions def={comparing} onClose={() => setComparing(null)} />}
    </Stack>
  );
}

/** An element type as the properties panel names it (its translate key): bpmn:UserTask → "User Task". */
function typeLabel(type: string): string {
  return type.replace(/^bpmn:/, '').replace(/(\B[A-Z])/g, ' $1');
}
