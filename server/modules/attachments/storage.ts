// Content-addressed file storage under DATA_DIR/blobs: a file is stored once per SHA-256,
// whatever its name or how many documents carry it. Uploads stream to a temporary file while
// hashing, so memory does not grow with file size.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, Readable } from 'node:stream';

export interface StoredUpload {
  tempPath: string;
  sha256: string;
  size: number;
  truncated: boolean;
}

export function blobPath(dataDir: string, sha256: string): string {
  return path.join(dataDir, 'blobs', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/** DATA_DIR/tmp, made before a request body is read (see `streamToTemp`). */
export async function tempDir(dataDir: string): Promise<string> {
  const dir = path.join(dataDir, 'tmp');
  await fs.promises.mkdir(dir, { recursive: true });
  return dir;
}

/**
 * Streams to a new file in `dir` (from `tempDir`), hashing on the way. Not async on purpose: the
 * pipeline must hear `source` in the same tick busboy hands it over, or an error busboy emits on
 * it meanwhile (a body cut short) has no listener and ends the process. A failed upload leaves
 * no file behind.
 */
export function streamToTemp(dir: string, source: Readable & { truncated?: boolean }): Promise<StoredUpload> {
  const tempPath = path.join(dir, `${Date.now()}-${crypto.randomBytes(8).toString('hex')}.part`);
  const hash = crypto.createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  return pipeline(source, meter, fs.createWriteStream(tempPath)).then(
    () => ({ tempPath, sha256: hash.digest('hex'), size, truncated: !!source.truncated }),
    async (err: unknown) => {
      await fs.promises.rm(tempPath, { force: true });
      throw err;
    },
  );
}

/**
 * Puts a finished upload's content in place unless the same content is already stored. Called
 * while the blob's row is locked (see `storeAttachments`), so a destruction deleting the same
 * content cannot slip between this check and the attachment row: if it deleted the file first,
 * the file is made again here. A hard link, not a move: the upload stays whole until the
 * transaction is over, so a retried transaction can place it again.
 */
export async function placeBlob(dataDir: string, upload: StoredUpload): Promise<void> {
  const target = blobPath(dataDir, upload.sha256);
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  try {
    await fs.promises.link(upload.tempPath, target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw err;
    // A file system without hard links: copy beside the target, then rename into place whole.
    const part = `${target}.${crypto.randomBytes(6).toString('hex')}.part`;
    await fs.promises.copyFile(upload.tempPath, part);
    await fs.promises.rename(part, target);
  }
}
