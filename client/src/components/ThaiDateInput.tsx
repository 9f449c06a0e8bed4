// The one date input of the web app: officials type dd/mm/2569 (Buddhist era) as they write it on
// paper, or pick a day from a calendar with Thai month names; the form keeps C.E. ISO values
// (YYYY-MM-DD, or YYYY-MM-DDTHH:MM Bangkok wall clock with time) as the API takes them. The
// browser's own date input shows and takes C.E. years, so a typed 2569 became the year 2569 C.E.
import { useEffect, useId, useState } from 'react';
import { ActionIcon, Button, Group, Popover, SimpleGrid, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useI18n, type Locale } from '../i18n';

const BE = 543;
const arabic = (s: string) => s.replace(/[๐-๙]/g, (d) => String('๐๑๒๓๔๕๖๗๘๙'.indexOf(d)));
const pad = (n: number) => String(n).padStart(2, '0');

export type Parsed = { value: string } | { problem: 'unreadable' | 'yearBE' | 'noSuchDay' };

/** dd/mm/yyyy (B.E.) [hh.mm] → ISO C.E.; a two-digit year is 25yy. Empty text is no date (''). */
export function parseThaiDate(text: string, withTime = false): Parsed {
  const s = arabic(text.trim());
  if (!s) return { value: '' };
  const m = withTime
    ? /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2}|\d{4})(?:\s+|\s*,\s*)(\d{1,2})[.:](\d{2})(?:\s*น\.?)?$/.exec(s)
    : /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2}|\d{4})$/.exec(s);
  if (!m) return { problem: 'unreadable' };
  const [day, month] = [Number(m[1]), Number(m[2])];
  let year = Number(m[3]);
  if (m[3].length === 2) year += 2500;
  if (year < 2400) return { problem: 'yearBE' };
  year -= BE;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return { problem: 'noSuchDay' };
  const iso = `${year}-${pad(month)}-${pad(day)}`;
  if (!withTime) return { value: iso };
  const [hour, minute] = [Number(m[4]), Number(m[5])];
  if (hour > 23 || minute > 59) return { problem: 'unreadable' };
  return { value: `${iso}T${pad(hour)}:${pad(minute)}` };
}

/** ISO C.E. (date or Bangkok wall-clock date-time) → dd/mm/yyyy B.E. [hh.mm]. */
export function showThaiDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(value);
  if (!m) return value;
  const day = `${m[3]}/${m[2]}/${Number(m[1]) + BE}`;
  return m[4] ? `${day} ${m[4]}.${m[5]}` : day;
}

const monthNames = (locale: Locale) =>
  Array.from({ length: 12 }, (_, i) => new Intl.DateTimeFormat(locale === 'th' ? 'th-TH' : 'en-GB', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, i, 15))));
const weekdayNames = (locale: Locale) =>
  // 2 January 2000 was a Sunday: the week starts on Sunday, as Thai calendars print it.
  Array.from({ length: 7 }, (_, i) => new Intl.DateTimeFormat(locale === 'th' ? 'th-TH' : 'en-GB', { weekday: 'narrow', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, 0, 2 + i))));

function todayIso(): string {
  return new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
}

function Calendar({ value, onPick }: { value: string; onPick: (iso: string) => void }) {
  const { t, locale } = useI18n();
  const start = /^\d{4}-\d{2}/.test(value) ? value : todayIso();
  const [shown, setShown] = useState({ year: Number(start.slice(0, 4)), month: Number(start.slice(5, 7)) - 1 });
  const first = new Date(Date.UTC(shown.year, shown.month, 1)).getUTCDay();
  const days = new Date(Date.UTC(shown.year, shown.month + 1, 0)).getUTCDate();
  const move = (delta: number) => setShown(({ year, month }) => ({ year: year + Math.floor((month + delta) / 12), month: (((month + delta) % 12) + 12) % 12 }));
  const heading = `${monthNames(locale)[shown.month]} ${shown.year + BE}`;
  return (
    <div>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <ActionIcon variant="subtle" aria-label={t('date.prevMonth')} onClick={() => move(-1)}>‹</ActionIcon>
        <Text fw={600} aria-live="polite" data-testid="calendar-month">{heading}</Text>
        <ActionIcon variant="subtle" aria-label={t('date.nextMonth')} onClick={() => move(1)}>›</ActionIcon>
      </Group>
      <SimpleGrid cols={7} spacing={2} verticalSpacing={2}>
        {weekdayNames(locale).map((w, i) => (
          <Text key={`w${i}`} size="xs" c="dimmed" ta="center" aria-hidden>{w}</Text>
        ))}
        {Array.from({ length: first }, (_, i) => <span key={`b${i}`} />)}
        {Array.from({ length: days }, (_, i) => {
          const iso = `${shown.year}-${pad(shown.month + 1)}-${pad(i + 1)}`;
          const selected = value.startsWith(iso);
          return (
            <UnstyledButton
              key={iso}
              className="thai-calendar-day"
              data-selected={selected || undefined}
              aria-pressed={selected}
              aria-label={`${i + 1} ${monthNames(locale)[shown.month]} ${shown.year + BE}`}
              onClick={() => onPick(iso)}
            >
              {i + 1}
            </UnstyledButton>
          );
        })}
      </SimpleGrid>
      <Group justify="center" mt="xs">
        <Button size="compact-xs" variant="subtle" onClick={() => onPick(todayIso())}>{t('date.today')}</Button>
      </Group>
    </div>
  );
}

interface Props {
  label: string;
  /** C.E. ISO: YYYY-MM-DD, or YYYY-MM-DDTHH:MM (Bangkok) with `withTime`; '' for none. Unreadable text passes through as typed, so a submit is refused rather than silently dropping it. */
  value: string;
  onChange: (value: string) => void;
  withTime?: boolean;
  error?: string;
  description?: string;
  withAsterisk?: boolean;
  required?: boolean;
  name?: string;
}

export function ThaiDateInput({ label, value, onChange, withTime = false, error, description, withAsterisk, required, name }: Props) {
  const { t, date } = useI18n();
  const [text, setText] = useState(() => showThaiDate(value));
  const [touched, setTouched] = useState(false);
  const [open, setOpen] = useState(false);
  const id = useId();
  // A value set from outside (a reset form, a loaded letter) replaces the text unless it says the same.
  useEffect(() => {
    const parsed = parseThaiDate(text, withTime);
    if ('value' in parsed ? parsed.value !== value : value !== text) setText(showThaiDate(value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  const parsed = parseThaiDate(text, withTime);
  const local = 'problem' in parsed && touched ? t(parsed.problem === 'unreadable' ? (withTime ? 'date.unreadableTime' : 'date.unreadable') : parsed.problem === 'yearBE' ? 'date.yearBE' : 'date.noSuchDay') : undefined;
  const shown = 'value' in parsed && parsed.value ? date(withTime ? `${parsed.value}:00+07:00` : parsed.value, withTime ? 'dateTime' : 'long') : undefined;
  const change = (next: string) => {
    setText(next);
    const p = parseThaiDate(next, withTime);
    onChange('value' in p ? p.value : next.trim());
  };
  const pick = (iso: string) => {
    const time = withTime ? (/T(\d{2}:\d{2})/.exec(value)?.[1] ?? '09:00') : null;
    change(showThaiDate(time ? `${iso}T${time}` : iso));
    setTouched(true);
    setOpen(false);
  };
  return (
    <TextInput
      id={id}
      name={name}
      label={label}
      withAsterisk={withAsterisk}
      required={required}
      value={text}
      inputMode="numeric"
      autoComplete="off"
      placeholder={t(withTime ? 'date.placeholderTime' : 'date.placeholder')}
      error={local ?? error}
      description={shown ?? description ?? t(withTime ? 'date.hintBETime' : 'date.hintBE')}
      onChange={(e) => change(e.currentTarget.value)}
      onBlur={() => setTouched(true)}
      rightSectionWidth={36}
      rightSection={
        <Popover opened={open} onChange={setOpen} position="bottom-end" withinPortal trapFocus returnFocus>
          <Popover.Target>
            <ActionIcon variant="subtle" aria-label={t('date.pick')} aria-describedby={`${id}-label`} aria-expanded={open} onClick={() => setOpen((o) => !o)}>
              <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
                <rect x="3" y="5" width="18" height="16" rx="2" />
                <path d="M3 10h18M8 3v4M16 3v4" />
              </svg>
            </ActionIcon>
          </Popover.Target>
          <Popover.Dropdown w={280}>
            <Calendar value={'value' in parsed ? parsed.value : value} onPick={pick} />
          </Popover.Dropdown>
        </Popover>
      }
    />
  );
}
