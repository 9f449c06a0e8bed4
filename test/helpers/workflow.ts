// Helpers for workflow tests: small BPMN documents and shortcuts through the API.
import { expect } from 'chai';
import { api, Session } from './factories';

export function bpmn(processId: string, body: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="defs_${processId}" targetNamespace="http://bpmn.io/schema/bpmn">
  ${extra}
  <bpmn:process id="${processId}" isExecutable="true">
    ${body}
  </bpmn:process>
</bpmn:definitions>`;
}

/** start → a → b → c → end: three user tasks for one performer group. */
export function threeStepXml(processId: string, group = 'staff'): string {
  return bpmn(processId, `
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="a" />
    <bpmn:userTask id="a" name="Step A" camunda:candidateGroups="${group}" />
    <bpmn:sequenceFlow id="f1" sourceRef="a" targetRef="b" />
    <bpmn:userTask id="b" name="Step B" camunda:candidateGroups="${group}" />
    <bpmn:sequenceFlow id="f2" sourceRef="b" targetRef="c" />
    <bpmn:userTask id="c" name="Step C" camunda:candidateGroups="${group}" />
    <bpmn:sequenceFlow id="f3" sourceRef="c" targetRef="end" />
    <bpmn:endEvent id="end" />`);
}

export async function deployXml(session: Session, xml: string) {
  const res = await api().post('/api/workflow/definitions').set(session.auth).send({ xml });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body as { id: number; key: string; version: number };
}

export async function startInstance(session: Session, processKey: string, variables: Record<string, unknown> = {}) {
  const res = await api().post('/api/workflow/instances').set(session.auth).send({ processKey, variables });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body as { instance: { id: number; version: number; status: string }; tasks: Array<{ id: number; elementId: string; name: string }> };
}

export async function inbox(session: Session, query: Record<string, string | number> = {}) {
  const res = await api().get('/api/tasks').query(query).set(session.auth);
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body as { items: Array<{ id: number; elementId: string; instanceId: number; name: string; urgency: number; priority: number; dueAt: string | null; overdue: boolean }>; total: number };
}

export async function complete(session: Session, taskId: number, variables: Record<string, unknown> = {}, status = 200) {
  const res = await api().post(`/api/tasks/${taskId}/complete`).set(session.auth).send({ variables });
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  return res.body;
}

export async function taskOf(session: Session, instanceId: number, elementId: string) {
  const { items } = await inbox(session, { limit: 200 });
  const task = items.find((t) => t.instanceId === instanceId && t.elementId === elementId);
  expect(task, `task ${elementId} of instance ${instanceId} in inbox`).to.not.equal(undefined);
  return task!;
}
