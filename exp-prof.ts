import { loadConfig } from './server/config';
import { prepare } from './server/bootstrap';
import { User } from './server/db/models';
import { loadActor } from './server/modules/auth/actor';
import { deploy, activeDefinition } from './server/modules/workflow/definitions';
import * as tasks from './server/modules/tasks/service';
import { threeStepXml } from './test/helpers/workflow';
(async () => {
  const url = process.argv[2];
  const ctx = await prepare(loadConfig({ databaseUrl: url, jwtSecret: 'x'.repeat(40) }));
  const clerkUser = (await User.findOne({ where: { username: 'clerk' } }))!;
  await deploy(ctx.db, { organisationId: clerkUser.organisationId, xml: threeStepXml('p1', 'registry_clerk'), deployedById: null });
  const def = await activeDefinition(clerkUser.organisationId, 'p1');
  const actor = (await loadActor(clerkUser.id))!;
  const t0 = performance.now(); let tStart = 0, tComplete = 0;
  for (let i = 0; i < 40; i++) {
    const a = performance.now();
    const { createdTasks } = await ctx.runtime.start({ definition: def, organisationId: def.organisationId, starter: { userId: actor.userId, positionId: actor.user.positionId, capacity: 'self' }, variables: {} });
    tStart += performance.now() - a;
    let task = createdTasks[0];
    while (task) { const b = performance.now(); const r = await tasks.complete(ctx.runtime, task.id, actor, { variables: {} }); tComplete += performance.now() - b; task = r.createdTasks[0]; }
  }
  console.log('per instance', ((performance.now() - t0) / 40).toFixed(1), 'ms; start', (tStart / 40).toFixed(1), 'complete', (tComplete / 120).toFixed(1));
  process.exit(0);
})();
