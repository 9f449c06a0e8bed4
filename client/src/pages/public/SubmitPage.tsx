// /public/<org code>: a person writes to the agency (issue 18). Checked here as the server checks
// it (required fields, e-mail, the ID's check digit), then sent with the solved proof of work as one
// multipart form; the answer is the tracking code.
import { useState } from 'react';
import { useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Anchor, Button, Center, FileInput, Loader, Paper, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { Altcha } from './Altcha';
import { PublicLayout } from './PublicLayout';
import { PublicError, publicFetch, thaiIdValid, usePublicText } from './text';

interface Org { code: string; nameTh: string; nameEn: string | null }
interface Receipt { trackingCode: string; submittedAtTh: string; subject: string }

const FIELDS = ['name', 'idNumber', 'address', 'phone', 'email', 'subject', 'body'] as const;
type Field = (typeof FIELDS)[number];

export function SubmitPage() {
  const { code = '' } = useParams();
  const { p, locale } = usePublicText();
  const org = useQuery({ queryKey: ['public', 'org', code], queryFn: () => publicFetch<Org>(`/public/organisations/${encodeURIComponent(code)}`), retry: false });
  const [values, setValues] = useState<Record<Field, string>>({ name: '', idNumber: '', address: '', phone: '', email: '', subject: '', body: '' });
  const [files, setFiles] = useState<File[]>([]);
  const [proof, setProof] = useState<string | null>(null);
  const [errors, setErrors] = useState<Partial<Record<Field | 'proof', string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [widgetKey, setWidgetKey] = useState(0);

  if (org.isLoading) return <Center h="100vh"><Loader role="status" aria-label="loading" /></Center>;
  if (org.isError || !org.data) return <PublicLayout heading={p('public.noOrg')}>{null}</PublicLayout>;
  const orgName = locale === 'en' && org.data.nameEn ? org.data.nameEn : org.data.nameTh;

  if (receipt) {
    return (
      <PublicLayout heading={p('public.sent.title')} sub={orgName}>
        <Paper withBorder p="lg" role="status">
          <Stack gap="xs">
            <Text>{p('public.sent.code')}</Text>
            <Title order={2} size="h1" ff="monospace" data-testid="tracking-code">{receipt.trackingCode}</Title>
            <Text>{receipt.subject} · {receipt.submittedAtTh}</Text>
            <Text size="sm">{p('public.sent.keep')}</Text>
            <Text size="sm" c="dark.6">{p('public.sent.receiptPending')}</Text>
            <Anchor href={`/public/track?code=${encodeURIComponent(receipt.trackingCode)}`} c="blue.9" underline="always">{p('public.sent.track')}</Anchor>
          </Stack>
        </Paper>
      </PublicLayout>
    );
  }

  const set = (f: Field) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    const value = e.currentTarget.value; // read now: the event's target is gone when the updater runs
    setValues((v) => ({ ...v, [f]: value }));
    setErrors((x) => ({ ...x, [f]: undefined }));
  };

  const check = () => {
    const out: Partial<Record<Field | 'proof', string>> = {};
    for (const f of FIELDS) if (f !== 'phone' && !values[f].trim()) out[f] = p('public.required');
    if (values.idNumber.trim() && !thaiIdValid(values.idNumber)) out.idNumber = p('public.idNumber.invalid');
    if (values.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email.trim())) out.email = p('public.email.invalid');
    if (!proof) out.proof = p('public.proof.needed');
    return out;
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const problems = check();
    setErrors(problems);
    setFailure(null);
    if (Object.values(problems).some(Boolean)) return;
    const form = new FormData();
    for (const f of FIELDS) if (values[f].trim()) form.set(f, values[f].trim());
    form.set('language', locale);
    form.set('altcha', proof!);
    for (const file of files) form.append('file', file, file.name);
    setBusy(true);
    try {
      setReceipt(await publicFetch<Receipt>(`/public/organisations/${encodeURIComponent(code)}/submissions`, { method: 'POST', body: form }));
    } catch (err) {
      setFailure(err instanceof PublicError && err.status === 429 ? p('public.tooMany') : `${p('public.error')}: ${err instanceof Error ? err.message : String(err)}`);
      // A proof is used once: a new one for the next try.
      setProof(null);
      setWidgetKey((k) => k + 1);
    } finally {
      setBusy(false);
    }
  };

  const input = (f: Field, label: string, extra: Record<string, unknown> = {}) => (
    <TextInput label={label} value={values[f]} onChange={set(f)} error={errors[f]} required={f !== 'phone'} {...extra} />
  );

  return (
    <PublicLayout heading={p('public.title')} sub={orgName}>
      <Text mb="md">{p('public.intro')}</Text>
      <Paper withBorder p="md">
        <form onSubmit={submit} noValidate>
          <Stack>
            {input('name', p('public.name'), { autoComplete: 'name', maxLength: 200 })}
            {input('idNumber', p('public.idNumber'), { inputMode: 'numeric', autoComplete: 'off', maxLength: 17, description: p('public.idNumber.hint'), styles: { description: { color: 'var(--mantine-color-dark-6)' } } })}
            <Textarea label={p('public.address')} value={values.address} onChange={set('address')} error={errors.address} required autosize minRows={2} maxLength={1000} autoComplete="street-address" />
            {input('phone', p('public.phone'), { type: 'tel', autoComplete: 'tel', maxLength: 32 })}
            {input('email', p('public.email'), { type: 'email', autoComplete: 'email', maxLength: 255 })}
            {input('subject', p('public.subject'), { maxLength: 300 })}
            <Textarea label={p('public.body')} value={values.body} onChange={set('body')} error={errors.body} required autosize minRows={5} maxLength={20000} />
            <FileInput label={p('public.files')} multiple accept="application/pdf,image/png,image/jpeg" value={files} onChange={(f) => setFiles(f.slice(0, 5))} clearable />
            <div>
              <Text size="sm" fw={500} mb={4}>{p('public.proof')}</Text>
              <Altcha key={widgetKey} language={locale} onPayload={(x) => { setProof(x); if (x) setErrors((e) => ({ ...e, proof: undefined })); }} />
              {errors.proof && <Text c="red.8" size="sm" role="alert">{errors.proof}</Text>}
            </div>
            {failure && <Alert color="red" role="alert">{failure}</Alert>}
            <Button type="submit" loading={busy} size="md" color="blue.9">{p('public.submit')}</Button>
          </Stack>
        </form>
      </Paper>
    </PublicLayout>
  );
}
