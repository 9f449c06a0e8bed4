// A parallel join that waits the way Camunda 7's does: for a token on every incoming flow.
//
// bpmn-elements 17 (the newest published) counts a join's inbound per SOURCE and lets a discard
// count as an arrival. An exclusive merge inside a parallel branch sends the join both a discard
// (for the branch its split did not take) and later a take (for the one it did): the join counts
// the discard, fires early when the other branch arrives, and the real token that comes after it
// waits at the join for ever — the instance stays `running` with nothing to do
// (paed01/bpmn-engine#200). Camunda's ParallelGatewayActivityBehavior joins executions, one per
// incoming transition, and knows nothing of discards.
//
// So the join fires when every incoming flow has been taken; discards only matter when every
// incoming flow was discarded (the whole join lies on a path not taken: it is discarded in turn,
// so the engine can still tell the instance is done). A join that got some takes and some discards
// and will get no more takes waits, as in Camunda; the liveness check (liveness.ts) makes that an
// incident instead of a silent stall.
import { Activity } from 'bpmn-elements';

const kFlows = Symbol.for('flows');

interface InboundMessage {
  fields: { routingKey: string };
  content: { id: string; sourceId: string; discardSequence?: string[] };
  ack(): void;
}

interface JoinActivity {
  id: string;
  broker: { cancel(tag: string): void };
  run(content: unknown): void;
  _runDiscard(content: unknown): void;
  [kFlows]: { inboundSequenceFlows: Array<{ id: string }>; inboundJoinFlows: Set<InboundMessage> };
}

const clone = <T>(content: T): T => ({ ...content });

function onJoinInbound(this: JoinActivity, _routingKey: string, message: InboundMessage) {
  const flows = this[kFlows];
  const waiting = flows.inboundJoinFlows;
  waiting.add(message);
  const flowIds = flows.inboundSequenceFlows.map((f) => f.id);

  const takes = new Map<string, InboundMessage>();
  const discards = new Map<string, InboundMessage>();
  for (const m of waiting) {
    const into = m.fields.routingKey === 'flow.take' ? takes : discards;
    if (!into.has(m.content.id)) into.set(m.content.id, m);
  }

  if (flowIds.every((id) => takes.has(id))) {
    // One token per incoming flow joins; a further token on a flow (a loop came round) stays for
    // the next join, and the discards of this round are dropped.
    // The process tracks every flow message until an activity names it as its inbound.
    const joined = new Set(takes.values());
    const inbound = [];
    for (const m of [...waiting]) {
      if (joined.has(m) || m.fields.routingKey !== 'flow.take') {
        m.ack();
        waiting.delete(m);
        inbound.push(clone(m.content));
      }
    }
    this.broker.cancel('_run-on-inbound');
    this.run({ inbound });
    return;
  }

  if (takes.size === 0 && flowIds.every((id) => discards.has(id))) {
    const inbound = [...waiting].map((m) => clone(m.content));
    const discardSequence = new Set<string>();
    for (const m of waiting) for (const id of m.content.discardSequence ?? []) discardSequence.add(id);
    for (const m of waiting) m.ack();
    waiting.clear();
    this.broker.cancel('_run-on-inbound');
    this._runDiscard({ inbound, discardSequence: [...discardSequence] });
  }
}

// Activities bind their inbound handler when they are built, so this runs before any engine is.
(Activity.prototype as unknown as { _onJoinInbound: typeof onJoinInbound })._onJoinInbound = onJoinInbound;
