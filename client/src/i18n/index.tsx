// Language (Thai by default, English on request) and the one date formatter of the web app.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, th, type MessageKey } from './messages';

export type Locale = 'th' | 'en';
const catalogues: Record<Locale, Record<MessageKey, string>> = { th, en };
const STORAGE_KEY = 'saraban.locale';
export const TIME_ZONE = 'Asia/Bangkok';

/** Intl locale per UI language; both show the Buddhist-era year, as Thai official documents do. */
const intlLocale: Record<Locale, string> = { th: 'th-TH', en: 'en-GB-u-ca-buddhist' };

export type DateStyle = 'long' | 'short' | 'dateTime' | 'shortDateTime' | 'time';

const DATE_PART: Record<Exclude<DateStyle, 'time'>, Intl.DateTimeFormatOptions> = {
  long: { day: 'numeric', month: 'long', year: 'numeric' },
  short: { day: 'numeric', month: 'short', year: '2-digit' },
  dateTime: { day: 'numeric', month: 'long', year: 'numeric' },
  shortDateTime: { day: 'numeric', month: 'short', year: 'numeric' },
};

/** The time of day as Thai official writing shows it: `09.30 น.` (English: `09:30`). */
function formatTime(date: Date, locale: Locale): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return locale === 'th' ? `${part('hour')}.${part('minute')} น.` : `${part('hour')}:${part('minute')}`;
}

/** Formats an instant (UTC inside) as a Bangkok date: `14 กุมภาพันธ์ 2569`, `14 ก.พ. 69`, `14 ก.พ. 2569 09.30 น.`, `09.30 น.`. */
export function formatDate(value: string | Date | null | undefined, locale: Locale, style: DateStyle = 'long'): string {
  if (value == null || value === '') return '—';
  const date = typeof value === 'string' ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+07:00` : value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  if (style === 'time') return formatTime(date, locale);
  const day = new Intl.DateTimeFormat(intlLocale[locale], { timeZone: TIME_ZONE, ...DATE_PART[style] }).format(date);
  return style === 'dateTime' || style === 'shortDateTime' ? `${day} ${formatTime(date, locale)}` : day;
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
  date: (value: string | Date | null | undefined, style?: DateStyle) => string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'en' ? 'en' : 'th';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = catalogues[locale]['app.name'];
  }, [locale]);
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLocaleState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const messages = catalogues[locale];
    const t: Translate = (key, params) => {
      const text = messages[key] ?? th[key] ?? key;
      return params ? text.replace(/\{(\w+)\}/g, (_m, name: string) => String(params[name] ?? `{${name}}`)) : text;
    };
    return { locale, setLocale, t, date: (v, style) => formatDate(v, locale, style) };
  }, [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
