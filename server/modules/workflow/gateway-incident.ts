// An exclusive (or inclusive) gateway with no default flow where no condition holds. Camunda 7
// runs such gateways and, when it happens, refuses to continue ("No outgoing sequence flow … could
// be selected"): the command fails and the instance stays where it was. bpmn-elements says
// "<id> no conditional flow taken". The host does the same and, so that nobody is left to guess,
// opens an incident naming the gateway for the monitor (an administrator corrects the variables,
// PATCH /workflow/instances/:id/variables, and the step is completed again).
import type { Database } from '../../db';
import { Incident, HistoryEntry, ProcessInstance } from '../../db/models';
import { writeTransaction } from '../../lib/transaction';
import { unprocessable } from '../../lib/errors';
import { recordEvents } from '../events/outbox';

/** The gateway an engine error is about, when it is "no conditional flow taken". */
export function unmatchedGateway(error: Error | null): string | null {
  const text = [error?.message, (error as { description?: string } | null)?.description].filter(Boolean).join('\n');
  return /<([^>\s]+)> no conditional flow taken/.exec(text)?.[1] ?? null;
}

export const noPathMessage = (gatewayId: string) =>
  `ไม่มีเงื่อนไขใดของเกตเวย์ ${gatewayId} เป็นจริง — None of the conditions of the gateway "${gatewayId}" holds and it has no default flow: the process cannot continue past it. Correct the variables the conditions read, or give the gateway a default flow.`;

/** The 422 a command gets; the incident (one open per gateway) is recorded on its own, since the
 * command itself is rolled back. */
export async function gatewayStuck(db: Database, instance: ProcessInstance | null, gatewayId: string): Promise<Error> {
  const message = noPathMessage(gatewayId);
  if (instance) {
    await writeTransaction(db.sequelize, async (t) => {
      const open = await Incident.count({ where: { instanceId: instance.id, elementId: gatewayId, status: 'open', jobId: null }, transaction: t });
      if (open) return;
      const incident = await Incident.create({ instanceId: instance.id, jobId: null, elementId: gatewayId, message, status: 'open' }, { transaction: t });
      await HistoryEntry.create({ instanceId: instance.id, organisationId: instance.organisationId, processKey: instance.processKey, elementId: gatewayId, event: 'incident.raised', detail: JSON.stringify({ incidentId: incident.id, message }), at: new Date() }, { transaction: t });
      await recordEvents(t, [{ type: 'incident.raised', organisationId: instance.organisationId, subject: { type: 'incident', id: incident.id }, audience: { processKeys: [instance.processKey] }, summary: { incidentId: incident.id, instanceId: instance.id, elementId: gatewayId } }]);
    });
  }
  return unprocessable(message, [{ elementId: gatewayId, message }]);
}
