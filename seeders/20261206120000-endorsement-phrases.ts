// Stock endorsement phrases (ทราบ, เห็นชอบ, อนุมัติ, มอบ … ดำเนินการ, …) for every organisation that
// has none yet: the demo's on a fresh start, and those of an installation made before phrases
// existed. Organisations created later get them as they are created (org/service.ts).
// Plain statements on the seeder's own connection: binding the models here would point the whole
// process's models at whatever database is being seeded (a migration check's throwaway one).
import type { QueryInterface } from 'sequelize';
import { QueryTypes } from 'sequelize';
import { DEFAULT_PHRASES } from '../server/modules/tasks/phrases';

export async function up(qi: QueryInterface): Promise<void> {
  await qi.sequelize.transaction(async (transaction) => {
    const rows = await qi.sequelize.query<{ id: number }>(
      'SELECT o.id FROM organisations o WHERE NOT EXISTS (SELECT 1 FROM endorsement_phrases p WHERE p.organisationId = o.id) ORDER BY o.id',
      { type: QueryTypes.SELECT, transaction },
    );
    const now = new Date();
    const phrases = rows.flatMap(({ id }) => DEFAULT_PHRASES.map(([decision, text], position) => ({ organisationId: Number(id), decision, text, position, createdAt: now, updatedAt: now })));
    if (phrases.length) await qi.bulkInsert('endorsement_phrases', phrases, { transaction });
  });
}

export async function down(): Promise<void> {
  // The phrases are the organisations' own from now on: they stay.
}
