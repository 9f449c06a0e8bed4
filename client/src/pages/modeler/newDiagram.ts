// The diagram a designer starts from: one executable process with a start event, under the
// process id (the key it deploys as) and name the designer gave.

/**
 * A process id as the server accepts it (server/modules/workflow/bpmn.ts PROCESS_KEY): an XML
 * NCName in ASCII, at most 128 characters. Checked here too so the designer hears it before deploying.
 */
export const PROCESS_ID = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;

const attr = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export function newDiagram(processId: string, name: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  id="Definitions_1" targetNamespace="http://saraban.local/bpmn">
  <bpmn:process id="${attr(processId)}" name="${attr(name)}" isExecutable="true">
    <bpmn:startEvent id="start" name="เริ่ม" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${attr(processId)}">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start">
        <dc:Bounds x="180" y="160" width="36" height="36" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}

/** The process id of the diagram the modeler opens with, before the designer names the process. */
export const PLACEHOLDER_ID = 'new_process';
export const NEW_DIAGRAM = newDiagram(PLACEHOLDER_ID, 'กระบวนงานใหม่');
