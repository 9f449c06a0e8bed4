// A read-only BPMN diagram (bpmn-js NavigatedViewer: pan and zoom; the bpmn.io watermark stays),
// shared by the monitor (heat, path taken, load badges) and the modeler's version comparison
// (added, changed, removed). Callers decorate it with CSS markers on elements and HTML overlays;
// the diagram is redrawn only when the XML changes, the decorations whenever they do, and only
// once the diagram they belong to is drawn.
import { useEffect, useRef, useState } from 'react';
import { Box } from '@mantine/core';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import { DIAGRAM_TEXT, ThaiTextModule } from './diagramText';
import './bpmn.css';

/** An HTML decoration pinned to an element, placed as diagram-js overlays are (e.g. `{ top: -12, right: 12 }`). */
export interface DiagramOverlay {
  position: { top?: number; right?: number; bottom?: number; left?: number };
  render: () => HTMLElement;
}

interface Services {
  overlays: { add: (id: string, type: string, o: { position: DiagramOverlay['position']; html: HTMLElement }) => void; remove: (filter: { type: string }) => void };
  canvas: { addMarker: (id: string, marker: string) => void; removeMarker: (id: string, marker: string) => void; zoom: (mode: string, center?: 'auto') => void };
  elementRegistry: { get: (id: string) => unknown };
}

const OVERLAY = 'saraban-overlay';
const NONE = {};

export function BpmnViewer({
  xml,
  markers = NONE,
  overlays = NONE,
  height = 420,
  testId = 'process-diagram',
  onError,
}: {
  xml: string;
  /** CSS classes per element id (an id not in the diagram is skipped). */
  markers?: Record<string, string[]>;
  overlays?: Record<string, DiagramOverlay>;
  height?: number;
  testId?: string;
  /** A diagram that would not draw; without it such a diagram just stays empty (as one without DI does). */
  onError?: (err: unknown) => void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const viewer = useRef<NavigatedViewer | null>(null);
  const applied = useRef<Array<[string, string]>>([]);
  const errorRef = useRef(onError);
  useEffect(() => {
    errorRef.current = onError;
  });
  // A new object on every import, even of the same XML again, so decorations are put back.
  const [drawn, setDrawn] = useState<{ xml: string } | null>(null);

  useEffect(() => {
    const v = new NavigatedViewer({ container: container.current!, additionalModules: [ThaiTextModule], ...DIAGRAM_TEXT });
    viewer.current = v;
    return () => {
      v.destroy();
      viewer.current = null;
    };
  }, []);

  useEffect(() => {
    const v = viewer.current;
    if (!v) return;
    let live = true;
    v.importXML(xml)
      .then(() => {
        if (!live) return;
        applied.current = []; // the import drew a fresh diagram, without the old markers
        (v.get('canvas') as Services['canvas']).zoom('fit-viewport', 'auto');
        setDrawn({ xml });
      })
      .catch((err: unknown) => live && errorRef.current?.(err)); // ignored when the page was left before the import finished
    return () => {
      live = false;
    };
  }, [xml]);

  const ready = drawn?.xml === xml;
  useEffect(() => {
    const v = viewer.current;
    if (!v || !ready) return;
    const canvas = v.get('canvas') as Services['canvas'];
    const registry = v.get('elementRegistry') as Services['elementRegistry'];
    const layer = v.get('overlays') as Services['overlays'];
    for (const [id, marker] of applied.current) if (registry.get(id)) canvas.removeMarker(id, marker);
    applied.current = [];
    layer.remove({ type: OVERLAY });
    for (const [id, list] of Object.entries(markers)) {
      if (!registry.get(id)) continue;
      for (const marker of list) {
        canvas.addMarker(id, marker);
        applied.current.push([id, marker]);
      }
    }
    for (const [id, overlay] of Object.entries(overlays)) {
      if (registry.get(id)) layer.add(id, OVERLAY, { position: overlay.position, html: overlay.render() });
    }
  }, [ready, drawn, markers, overlays]);

  return <Box ref={container} h={height} className="saraban-diagram" data-testid={testId} data-ready={ready ? 'true' : 'false'} />;
}
