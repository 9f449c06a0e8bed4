// The monitor's diagram: the shared read-only viewer with the monitor's decorations, CSS markers
// on elements (heat, path taken, current step) and count badges (open / overdue) on activities.
import { useMemo } from 'react';
import { BpmnViewer, type DiagramOverlay } from '../../components/bpmn/BpmnViewer';
import './monitor.css';

export interface Badge {
  open: number;
  overdue: number;
  /** Read by screen readers and shown on hover. */
  label: string;
}

function badgeElement(id: string, badge: Badge): HTMLElement {
  const el = document.createElement('div');
  el.className = 'saraban-load-badge';
  el.dataset.testid = `load-${id}`;
  el.dataset.open = String(badge.open);
  el.dataset.overdue = String(badge.overdue);
  el.title = badge.label;
  el.setAttribute('role', 'note');
  el.setAttribute('aria-label', badge.label);
  const count = (className: string, n: number) => {
    const span = document.createElement('span');
    span.className = className;
    span.textContent = String(n);
    return span;
  };
  el.append(count('saraban-load-open', badge.open));
  if (badge.overdue) el.append(count('saraban-load-overdue', badge.overdue));
  return el;
}

export function ProcessDiagram({ xml, markers, badges }: { xml: string; markers?: Record<string, string[]>; badges?: Record<string, Badge> }) {
  const overlays = useMemo(
    () => Object.fromEntries(Object.entries(badges ?? {}).map(([id, badge]): [string, DiagramOverlay] => [id, { position: { top: -12, right: 12 }, render: () => badgeElement(id, badge) }])),
    [badges],
  );
  return <BpmnViewer xml={xml} markers={markers} overlays={overlays} />;
}
