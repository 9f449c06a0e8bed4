// Opening files the server only hands out with the bearer token: read as a Blob, then a blob URL.
import { api, request } from '../../lib/api';

export async function blobUrl(path: string): Promise<string> {
  return URL.createObjectURL(await api.blob(path));
}

/** Saves a protected file under its name, as a plain link would. */
export async function download(path: string, filename: string): Promise<void> {
  const url = await blobUrl(path);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Sends files as multipart/form-data with their role (main letter or enclosure). */
export function uploadFiles(documentId: number, role: 'main' | 'enclosure', files: File[]) {
  const form = new FormData();
  form.append('role', role);
  for (const f of files) form.append('file', f, f.name);
  return request(`/documents/${documentId}/attachments`, { method: 'POST', body: form });
}
