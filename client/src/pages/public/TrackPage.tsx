// /public/track: the status of a request from its tracking code plus the e-mail or the last 4 ID
// digits (the credentials go in a POST body, never in an address); the answer letter downloads here.
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, Button, Group, Paper, Radio, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { PublicLayout } from './PublicLayout';
import { PublicError, publicFetch, usePublicText } from './text';

interface Tracking {
  trackingCode: string; subject: string | null; closed: boolean; submittedAtTh: string; status: string; statusTh: string; statusEn: string;
  organisation: { nameTh: string; nameEn: string | null };
  registered: { number: number; year: number; atTh: string } | null; unit: string | null; reason: string | null;
  reply: { letterNumber: string | null; letterDateTh: string | null; files: Array<{ id: number; filename: string; size: number }> } | null;
}

export function TrackPage() {
  const { p, locale } = usePublicText();
  const [params] = useSearchParams();
  const [code, setCode] = useState(params.get('code') ?? '');
  const [by, setBy] = useState<'email' | 'idLast4'>('email');
  const [secret, setSecret] = useState('');
  const [result, setResult] = useState<Tracking | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const credentials = () => JSON.stringify({ code: code.trim(), [by]: secret.trim() });

  const look = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      setResult(await publicFetch<Tracking>('/public/track', { method: 'POST', headers: { 'content-type': 'application/json' }, body: credentials() }));
    } catch (err) {
      setResult(null);
      setFailure(err instanceof PublicError && err.status === 429 ? p('public.tooMany') : p('public.track.notFound'));
    } finally {
      setBusy(false);
    }
  };

  const download = async (file: { id: number; filename: string }, path = `/api/public/track/files/${file.id}`) => {
    const res = await fetch(path, { method: 'POST', credentials: 'omit', headers: { 'content-type': 'application/json' }, body: credentials() });
    if (!res.ok) return setFailure(p('public.track.notFound'));
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = file.filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <PublicLayout heading={p('public.track.title')}>
      <Paper withBorder p="md">
        <form onSubmit={look} noValidate>
          <Stack>
            <TextInput label={p('public.track.code')} value={code} onChange={(e) => setCode(e.currentTarget.value)} required autoComplete="off" maxLength={32} ff="monospace" />
            <Radio.Group label={p('public.track.with')} value={by} onChange={(v) => { setBy(v as 'email' | 'idLast4'); setSecret(''); }}>
              <Group mt={4}>
                <Radio value="email" label={p('public.track.byEmail')} />
                <Radio value="idLast4" label={p('public.track.byId')} />
              </Group>
            </Radio.Group>
            <TextInput
              label={by === 'email' ? p('public.track.byEmail') : p('public.track.byId')} value={secret} onChange={(e) => setSecret(e.currentTarget.value)} required
              type={by === 'email' ? 'email' : 'text'} inputMode={by === 'email' ? 'email' : 'numeric'} maxLength={by === 'email' ? 255 : 4} autoComplete={by === 'email' ? 'email' : 'off'}
            />
            {failure && <Alert color="red" role="alert">{failure}</Alert>}
            <Button type="submit" loading={busy} color="blue.9">{p('public.track.go')}</Button>
          </Stack>
        </form>
      </Paper>
      {result && (
        <Paper withBorder p="md" mt="md" data-testid="tracking-result">
          <Title order={2} size="h3">{locale === 'en' ? result.statusEn : result.statusTh}</Title>
          <Table mt="sm" variant="vertical" layout="fixed">
            <Table.Tbody>
              {result.subject !== null && <Table.Tr><Table.Th w={120}>{p('public.track.subject')}</Table.Th><Table.Td>{result.subject}</Table.Td></Table.Tr>}
              <Table.Tr><Table.Th w={120}>{p('public.track.to')}</Table.Th><Table.Td>{locale === 'en' && result.organisation.nameEn ? result.organisation.nameEn : result.organisation.nameTh}</Table.Td></Table.Tr>
              <Table.Tr><Table.Th>{p('public.track.submitted')}</Table.Th><Table.Td>{result.submittedAtTh}</Table.Td></Table.Tr>
              {result.registered && (
                <Table.Tr><Table.Th>{p('public.track.status')}</Table.Th><Table.Td>{p('public.track.registered', { number: result.registered.number, year: result.registered.year, at: result.registered.atTh })}</Table.Td></Table.Tr>
              )}
              {result.unit && <Table.Tr><Table.Th>{p('public.track.unit')}</Table.Th><Table.Td>{result.unit}</Table.Td></Table.Tr>}
              {result.reason && <Table.Tr><Table.Th>{p('public.track.reason')}</Table.Th><Table.Td>{result.reason}</Table.Td></Table.Tr>}
            </Table.Tbody>
          </Table>
          {result.closed ? (
            <Text mt="md" size="sm">{p('public.track.closed')}</Text>
          ) : (
            <Button mt="md" variant="outline" color="blue.9" onClick={() => void download({ id: 0, filename: `receipt-${result.trackingCode}.pdf` }, '/api/public/track/receipt')}>
              {p('public.track.receipt')}
            </Button>
          )}
          {result.reply && (
            <Stack mt="md" gap="xs">
              <Text fw={600}>{p('public.track.reply')} {result.reply.letterNumber ?? ''} {result.reply.letterDateTh ?? ''}</Text>
              {result.reply.files.map((f) => (
                <Button key={f.id} variant="outline" color="blue.9" onClick={() => void download(f)} aria-label={p('public.track.download', { name: f.filename })}>
                  {p('public.track.download', { name: f.filename })}
                </Button>
              ))}
            </Stack>
          )}
        </Paper>
      )}
    </PublicLayout>
  );
}
