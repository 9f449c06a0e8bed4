// Kill -9 the real server in the middle of work and start it again: every acknowledged command
// is there, nothing is half-applied or run twice, waiting instances and due timers go on.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { createThrowawayDatabase, ThrowawayDatabase } from '../helpers/databases';
import { testEnv } from '../helpers/env';
import { call, freePort, startServer, stopServer } from '../helpers/server';
import { bpmn, threeStepXml } from '../helpers/workflow';

describe('a server killed with SIGKILL mid-work', () => {
  let database: ThrowawayDatabase;
  let dataDir: string;
  const children: ChildProcess[] = [];
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'saraban-crash-'));
    database = await createThrowawayDatabase(testEnv().dialect, 'crash');
  });
  after(async () => {
    for (const c of children) await stopServer(c, 'SIGKILL');
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged completion, applies none by halves, and fires the timer that fell due while it was down', async function () {
    this.timeout(240000);
    const port = await freePort();
    const env = { DATABASE_URL: database.url, DATA_DIR: dataDir, WORKFLOW_JOB_POLL_MS: '200' };
    const first = await startServer(env, port);
    children.push(first.child);
    const { base } = first;
    const token = async (username: string) => (await call(base, 'POST', '/auth/login', undefined, { username, password: 'saraban-demo' })).body.accessToken as string;
    const [designer, clerk] = [await token('designer'), await token('clerk')];
    expect((await call(base, 'POST', '/workflow/definitions', designer, { xml: threeStepXml('crash_flow', 'registry_clerk') })).status).to.equal(201);
    expect((await call(base, 'POST', '/workflow/definitions', designer, {
      xml: bpmn('crash_timer', `<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="pause" />
        <bpmn:intermediateCatchEvent id="pause"><bpmn:timerEventDefinition><bpmn:timeDuration>PT3S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        <bpmn:sequenceFlow id="f1" sourceRef="pause" targetRef="after" /><bpmn:userTask id="after" camunda:candidateGroups="registry_clerk" />`),
    })).status).to.equal(201);

    const instances: Array<{ id: number; taskA: number }> = [];
    for (let i = 0; i < 24; i++) {
      const res = await call(base, 'POST', '/workflow/instances', clerk, { processKey: 'crash_flow' });
      instances.push({ id: res.body.instance.id, taskA: res.body.tasks[0].id });
    }
    const timed = (await call(base, 'POST', '/workflow/instances', clerk, { processKey: 'crash_timer' })).body.instance.id as number;

    // Fire all completions at once and kill the server after the first few answers.
    const acknowledged: number[] = [];
    let killed = false;
    await Promise.all(instances.map(async (inst) => {
      try {
        const res = await call(base, 'POST', `/tasks/${inst.taskA}/complete`, clerk, { variables: { note: 'ok' } });
        if (res.status === 200) acknowledged.push(inst.id);
        if (acknowledged.length >= 6 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      } catch {
        // the connection died with the server
      }
    }));
    await stopServer(first.child, 'SIGKILL');
    expect(acknowledged.length).to.be.at.least(6);

    // Down for longer than the timer's 3 s.
    await new Promise((r) => setTimeout(r, 3500));
    const second = await startServer(env, port);
    children.push(second.child);
    const clerk2 = await token('clerk');
    const inbox = (await call(base, 'GET', '/tasks?limit=200', clerk2)).body.items as Array<{ id: number; instanceId: number; elementId: string }>;
    for (const inst of instances) {
      const open = inbox.filter((t) => t.instanceId === inst.id);
      // Exactly one open task per instance: either a (not applied) or b (applied); never both, never none.
      expect(open, `instance ${inst.id}`).to.have.length(1);
      if (acknowledged.includes(inst.id)) expect(open[0].elementId).to.equal('b');
      const history = (await call(base, 'GET', `/workflow/instances/${inst.id}/history`, clerk2)).body.items as Array<{ event: string }>;
      const completions = history.filter((h) => h.event === 'task.completed').length;
      expect(completions).to.equal(open[0].elementId === 'b' ? 1 : 0);
      // And the instance goes on.
      const res = await call(base, 'POST', `/tasks/${open[0].id}/complete`, clerk2, { variables: {} });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
    }

    // The timer that fell due while the server was down fires once, by the restarted scheduler.
    let after: Array<{ instanceId: number; elementId: string }> = [];
    for (let i = 0; i < 50 && !after.length; i++) {
      await new Promise((r) => setTimeout(r, 200));
      after = ((await call(base, 'GET', '/tasks?processKey=crash_timer&limit=200', clerk2)).body.items as typeof after).filter((t) => t.instanceId === timed);
    }
    expect(after.map((t) => t.elementId)).to.deep.equal(['after']);
    await new Promise((r) => setTimeout(r, 600));
    const history = (await call(base, 'GET', `/workflow/instances/${timed}/history`, clerk2)).body.items as Array<{ event: string; elementId: string }>;
    expect(history.filter((h) => h.event === 'task.created' && h.elementId === 'after')).to.have.length(1);
    await stopServer(second.child);
  });
});
