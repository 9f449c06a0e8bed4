// The retention work that needs no committee, hourly in every server process: the personal data of
// citizens' requests rejected from the tray, once their keeping time is over (citizens/purge.ts).
// Each request is purged in its own transaction under its row lock, so processes sharing one
// database never purge one twice; the files go only where no live letter carries them.
import type { AppContext } from '../../context';
import { sweepRejected } from '../citizens/purge';
import { deleteUnusedBlob } from './destruction';

export async function runRetentionSweep(ctx: AppContext, now = new Date()): Promise<{ purged: number; filesDeleted: number }> {
  let purged = 0;
  let filesDeleted = 0;
  for (;;) {
    const round = await sweepRejected(ctx.db.sequelize, ctx.config.citizens.rejectedKeepDays, now);
    for (const sha256 of round.hashes) if (await deleteUnusedBlob(ctx.db, ctx.config.dataDir, sha256)) filesDeleted++;
    purged += round.purged;
    if (round.purged < 100) return { purged, filesDeleted };
  }
}

export function startRetentionSweep(ctx: AppContext, log: (line: string) => void, everyMs = 3_600_000): { close(): void } {
  const run = () => runRetentionSweep(ctx)
    .then((r) => r.purged && log(`retention: personal data of ${r.purged} rejected citizens' request(s) purged after ${ctx.config.citizens.rejectedKeepDays} days`))
    .catch((err: Error) => log(`retention: the sweep failed: ${err.message}`));
  const timer = setInterval(run, everyMs);
  timer.unref();
  void run();
  return { close: () => clearInterval(timer) };
}
