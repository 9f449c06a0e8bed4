// The runtime and live updates together: a task appears in the right inbox the moment it exists.
import { expect } from 'chai';
import http from 'node:http';
import { login } from '../helpers/factories';
import { connect, listen, TestClient, tokenFor } from '../helpers/realtime';
import { complete, startInstance, taskOf } from '../helpers/workflow';
import { testEnv } from '../helpers/env';
import { User } from '../../server/db/models';
import { attachRealtime, Realtime } from '../../server/modules/notify/realtime';

describe('task events pushed live from the workflow runtime', () => {
  let server: http.Server;
  let realtime: Realtime;
  let url: string;
  const clients: TestClient[] = [];
  before(async () => {
    server = http.createServer(testEnv().app);
    realtime = await attachRealtime(server, testEnv().ctx, { pollMs: 100, gapGraceMs: 200 });
    url = await listen(server);
  });
  after(async () => {
    for (const c of clients) c.close();
    await realtime.close();
  });

  it('pushes task.created to the next performer (the section head) and nothing to a colleague who is not one', async () => {
    const users = Object.fromEntries(await Promise.all(['sectionhead', 'officer', 'cm.clerk'].map(async (u) => [u, (await User.findOne({ where: { username: u } }))!])));
    const [head, officer, stranger] = await Promise.all(['sectionhead', 'officer', 'cm.clerk'].map(async (u) => connect(url, { token: await tokenFor(users[u]) })));
    clients.push(head, officer, stranger);
    const clerk = await login('clerk');
    const { instance } = await startInstance(clerk, 'incoming_letter', { document: { subject: 'แจ้งผลการประชุม', urgency: 3 } });
    await complete(clerk, (await taskOf(clerk, instance.id, 'screen')).id, { summary: 'สรุป' });
    const present = await taskOf(await login('sectionhead'), instance.id, 'present');
    await head.waitFor((events) => events.some((e) => e.type === 'task.created' && Number(e.subject.id) === present.id));
    const pushed = head.events.find((e) => e.type === 'task.created' && Number(e.subject.id) === present.id)!;
    expect(pushed.summary).to.include({ instanceId: instance.id, urgency: 3 });
    // Pushes carry ids, never text a process may have taken from the letter: the client re-reads the task.
    expect(pushed.summary).to.not.have.any.keys('name', 'title', 'letterSubject');
    await new Promise((r) => setTimeout(r, 300));
    expect(officer.events.filter((e) => Number(e.summary.instanceId) === instance.id)).to.deep.equal([]);
    expect(stranger.events.filter((e) => Number(e.summary.instanceId) === instance.id)).to.deep.equal([]);
  });
});
