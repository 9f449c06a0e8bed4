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

/** Formats an instant (UTC inside) as a Bangkok date: `14 กุมภาพันธ์ 2569`, `14 ก.พ. 69`, `14 ก.พ. 2569 09:30`, or a time `09.30 น.`. */
export function formatDate(value: string | Date | null | undefined, locale: Locale, style: DateStyle = 'long'): string {
  if (value == null || value === '') return '—';
  const date = typeof value === 'string' ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+07:00` : value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  // Thai time is written `10.35 น.`.
  if (style === 'time') {
    const hm = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
    return locale === 'th' ? `${hm.replace(':', '.')} น.` : hm;
  }
  const options: Intl.DateTimeFormatOptions = { timeZone: TIME_ZONE };
  if (style === 'long') Object.assign(options, { day: 'numeric', month: 'long', year: 'numeric' });
  if (style === 'short') Object.assign(options, { day: 'numeric', month: 'short', year: '2-digit' });
  if (style === 'dateTime') Object.assign(options, { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  if (style === 'shortDateTime') Object.assign(options, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  return new Intl.DateTimeFormat(intlLocale[locale], options).format(date);
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
