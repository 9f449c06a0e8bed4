// Small multipart/form-data reader for the signature routes: one file and a few text fields, held
// in memory up to a limit (PDFs to sign or verify, a PKCS#12). Over the limit → 413; unreadable → 400.
import busboy from 'busboy';
import type { Request } from 'express';
import { AppError, badRequest } from '../../lib/errors';

export interface FormUpload { fields: Record<string, string>; file?: { name: string; data: Buffer } }

export function readForm(req: Request, maxBytes: number, fileField = 'file'): Promise<FormUpload> {
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 64 * 1024 }, defParamCharset: 'utf8' });
  } catch {
    return Promise.reject(new AppError(415, 'unsupported_media_type', 'Send the file as multipart/form-data.'));
  }
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let file: FormUpload['file'];
    let failure: AppError | undefined;
    bb.on('field', (name, value) => {
      if (!(name in fields)) fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => (failure ??= new AppError(413, 'payload_too_large', `The file is larger than ${maxBytes} bytes.`)));
      stream.on('error', (err: Error) => (failure ??= badRequest(`The multipart body could not be read: ${err.message}`)));
      stream.on('end', () => {
        if (name === fileField) file = { name: info.filename || 'file', data: Buffer.concat(chunks) };
      });
    });
    bb.on('error', (err) => {
      failure ??= badRequest(`The multipart body could not be read: ${(err as Error).message}`);
      req.unpipe(bb);
      req.resume();
      reject(failure);
    });
    bb.on('close', () => (failure ? reject(failure) : resolve({ fields, file })));
    req.pipe(bb);
  });
}
