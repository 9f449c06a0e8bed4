// Stock endorsement phrases (ทราบ, เห็นชอบ, อนุมัติ, มอบ … ดำเนินการ, …) for every organisation that
// has none yet: the demo's on a fresh start, and those of an installation made before phrases
// existed. Organisations created later get them as they are created (org/service.ts).
import type { QueryInterface } from 'sequelize';
import { initModels, Organisation } from '../server/db/models';
import { giveDefaultPhrases } from '../server/modules/tasks/phrases';

export async function up(qi: QueryInterface): Promise<void> {
  initModels(qi.sequelize);
  await qi.sequelize.transaction(async (transaction) => {
    const ids = (await Organisation.findAll({ attributes: ['id'], transaction })).map((o) => o.id);
    await giveDefaultPhrases(ids, transaction);
  });
}

export async function down(): Promise<void> {
  // The phrases are the organisations' own from now on: they stay.
}
