// The one way a file's content is kept: its blob row locked (or created) in the caller's transaction,
// then its file put in place. A destruction deletes a file only under the same row lock and only when
// no live document refers to it (retention/destruction.ts), so neither can lose the other's work.
// Uploads, arrivals from other agencies, citizens' files, signed letters and the Garuda all come here.
import { Transaction, UniqueConstraintError } from 'sequelize';
import { Blob } from '../../db/models';
import { Retry } from '../../lib/transaction';
import { placeBlob, StoredUpload } from './storage';

/** Locks the blob row of this content in `t`, creating it when new. */
export async function lockBlob(t: Transaction, blob: { sha256: string; size: number; mime: string }): Promise<void> {
  if (await Blob.findByPk(blob.sha256, { transaction: t, lock: t.LOCK.UPDATE })) return;
  try {
    await Blob.create({ sha256: blob.sha256, size: blob.size, mime: blob.mime }, { transaction: t });
  } catch (err) {
    if (err instanceof UniqueConstraintError) throw new Retry(); // another upload of the same content won: lock its row
    throw err;
  }
}

/** Keeps a finished upload: its blob row locked in `t`, its file in place. */
export async function keepUpload(t: Transaction, dataDir: string, upload: StoredUpload, mime: string): Promise<void> {
  await lockBlob(t, { sha256: upload.sha256, size: upload.size, mime });
  await placeBlob(dataDir, upload);
}
