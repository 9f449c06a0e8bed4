// Opening files the server only hands out with the bearer token: read as a Blob, then a blob URL.
import { api, request } from '../../lib/api';

/** A blob URL for the file (the caller revokes it) and the file's size in bytes. */
export async function openBlob(path: string): Promise<{ url: string; size: number }> {
  const blob = await api.blob(path);
  return { url: URL.createObjectURL(blob), size: blob.size };
}

/** Saves a protected file under its name, as a plain link would. */
export async function download(path: string, filename: string): Promise<void> {
  const { url } = await openBlob(path);
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
