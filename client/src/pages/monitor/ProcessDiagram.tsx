// A read-only BPMN diagram (bpmn-js NavigatedViewer: pan and zoom; the bpmn.io watermark stays)
// with the monitor's decorations: CSS markers on elements (heat, path taken, current step) and
// count badges (open / overdue) on activities. Decorations are redrawn when they change, the
// diagram only when the XML does.
import { useEffect, useRef, useState } from 'react';
import { Box } from '@mantine/core';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import './monitor.css';

export interface Badge {
  open: number;
  overdue: number;
  /** Read by screen readers and shown on hover. */
  label: string;
}

interface Services {
  overlays: { add: (id: string, type: string, o: { position: Record<string, number>; html: HTMLElement }) => void; remove: (filter: { type: string }) => void };
  canvas: { addMarker: (id: string, marker: string) => void; removeMarker: (id: string, marker: string) => void; zoom: (mode: string, center?: 'auto') => void };
  elementRegistry: { get: (id: string) => unknown };
}

const BADGE = 'saraban-load';

export function ProcessDiagram({ xml, markers = {}, badges = {}, height = 420 }: { xml: string; markers?: Record<string, string[]>; badges?: Record<string, Badge>; height?: number }) {
  const container = useRef<HTMLDivElement>(null);
  const viewer = useRef<NavigatedViewer | null>(null);
  const applied = useRef<Array<[string, string]>>([]);
  const [ready, setReady] = useState(0);

  useEffect(() => {
    const v = new NavigatedViewer({ container: container.current! });
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
    applied.current = [];
    v.importXML(xml)
      .then(() => {
        if (!live) return;
        (v.get('canvas') as Services['canvas']).zoom('fit-viewport', 'auto');
        setReady((n) => n + 1);
      })
      .catch(() => undefined); // left before the import finished, or a diagram without DI (nothing to draw)
    return () => {
      live = false;
    };
  }, [xml]);

  useEffect(() => {
    const v = viewer.current;
    if (!v || !ready) return;
    const canvas = v.get('canvas') as Services['canvas'];
    const registry = v.get('elementRegistry') as Services['elementRegistry'];
    const overlays = v.get('overlays') as Services['overlays'];
    for (const [id, marker] of applied.current) canvas.removeMarker(id, marker);
    applied.current = [];
    overlays.remove({ type: BADGE });
    for (const [id, list] of Object.entries(markers)) {
      if (!registry.get(id)) continue;
      for (const marker of list) {
        canvas.addMarker(id, marker);
        applied.current.push([id, marker]);
      }
    }
    for (const [id, badge] of Object.entries(badges)) {
      if (!registry.get(id)) continue;
      const el = document.createElement('div');
      el.className = 'saraban-load-badge';
      el.dataset.testid = `load-${id}`;
      el.dataset.open = String(badge.open);
      el.dataset.overdue = String(badge.overdue);
      el.title = badge.label;
      el.setAttribute('role', 'note');
      el.setAttribute('aria-label', badge.label);
      const open = document.createElement('span');
      open.className = 'saraban-load-open';
      open.textContent = String(badge.open);
      el.append(open);
      if (badge.overdue) {
        const overdue = document.createElement('span');
        overdue.className = 'saraban-load-overdue';
        overdue.textContent = String(badge.overdue);
        el.append(overdue);
      }
      overlays.add(id, BADGE, { position: { top: -12, right: 12 }, html: el });
    }
  }, [ready, markers, badges]);

  return <Box ref={container} h={height} className="saraban-diagram" data-testid="process-diagram" data-ready={ready > 0 ? 'true' : 'false'} />;
}
