// From a letter's fields to the HTML of its page: the view the templates read (Thai dates, Thai
// digits when the organisation wants them, the signature block's lines), which template each type
// and sub-type uses, and the letter's plain text (kept for search: text taken back out of a
// Chromium PDF has stray spaces before some Thai marks).
import fs from 'node:fs';
import path from 'node:path';
import { thaiDateFull, thaiDateOnlyFull, thaiTime, buddhistYear } from '../../lib/thai-date';
import { SECRECY, URGENCY, CAPACITY_TH } from '../documents/labels';
import { SIGNATURE_SPACE_URL } from './signature-space';
import { parseTemplate, renderTemplate, TemplateError, type View } from './template';

/** The fields a letter is drawn from: a stored document's, or a draft's being previewed. */
export interface LetterFields {
  type: string;
  subType?: string | null;
  status?: string;
  urgency?: string;
  urgentBy?: Date | string | null;
  secrecy?: string;
  letterNumber?: string | null;
  letterDate?: string | null;
  subject: string;
  addressee?: string | null;
  salutation?: string | null;
  body?: string | null;
  closing?: string | null;
  signerName?: string | null;
  signerPosition?: string | null;
  contact?: string | null;
  references?: Array<{ owner: string; number: string; date?: string }>;
  enclosures?: string[];
  copiesTo?: string[];
}

export interface LetterIssuer {
  nameTh: string;
  address?: string | null;
  phone?: string | null;
  email?: string | null;
  /** The unit that writes the letter (ส่วนราชการเจ้าของเรื่อง). */
  unitName?: string | null;
}

/**
 * How the letter is signed. `none`: room left for a signature (drafts, and the digital signature's
 * visible block, which the signing step draws there). `typed`: the 2564 amendment's typed name in
 * an authenticated system, said on the letter. Signing for someone names the capacity and the
 * principal's position.
 */
export interface SignatureOptions {
  mode?: 'none' | 'typed' | 'digital';
  capacity?: 'self' | 'acting_for' | 'acting_in_post';
  principalPosition?: string | null;
}

export interface ComposeOptions {
  thaiDigits?: boolean;
  signature?: SignatureOptions;
  /** The Garuda image as a data: URL. */
  garuda: string;
  /** Marks the page as a draft (ร่าง). */
  draft?: boolean;
}

/** Said where the signature would be, when the typed name stands for it. */
export const TYPED_NAME_NOTE = 'พิมพ์ชื่อแทนการลงลายมือชื่อ (ระเบียบงานสารบรรณ ฉบับที่ 4 พ.ศ. 2564)';

/** Template names an organisation may replace: the shipped files, without `.html`. */
export const templateDir = path.resolve(__dirname.includes(`${path.sep}dist${path.sep}`) ? path.resolve(__dirname, '..', '..', '..', '..', 'server', 'modules', 'letters') : __dirname, 'templates');
export const TEMPLATE_NAMES = fs.readdirSync(templateDir).filter((f) => f.endsWith('.html')).map((f) => f.slice(0, -5)).sort();

const shipped = new Map(TEMPLATE_NAMES.map((name) => [name, parseTemplate(fs.readFileSync(path.join(templateDir, `${name}.html`), 'utf8'))]));

/** The template a letter of this type and sub-type is drawn with. */
export function templateFor(type: string, subType?: string | null): string {
  if (subType && shipped.has(`${type}-${subType}`)) return `${type}-${subType}`;
  if (shipped.has(type)) return type;
  throw new TemplateError(`no template for type ${type}${subType ? ` (${subType})` : ''}`);
}

/**
 * Checks an administrator's template before it is kept: it parses, names only templates that
 * exist, and draws a sample letter of every type with it (a template including itself fails here).
 */
export function checkTemplate(name: string, html: string, others: TemplateSource = () => undefined): void {
  const nodes = parseTemplate(html);
  const walk = (list: ReturnType<typeof parseTemplate>) => {
    for (const n of list) {
      if (typeof n === 'string') continue;
      if (n.kind === 'partial' && n.name !== 'letter' && !shipped.has(n.name)) throw new TemplateError(`no template "${n.name}" for {{> ${n.name}}}`);
      if (n.kind === 'section') walk(n.children);
    }
  };
  walk(nodes);
  const sample: LetterFields = { type: 'external', subject: 'ตัวอย่าง', body: 'ข้อความ', signerName: 'ชื่อ', signerPosition: 'ตำแหน่ง', copiesTo: ['หน่วยงาน'], enclosures: ['สิ่งที่ส่งมาด้วย'] };
  for (const [type, subType] of SAMPLE_KINDS) {
    const fields = { ...sample, type, subType };
    composeHtml(fields, letterView(fields, { nameTh: 'หน่วยงาน' }, { garuda: '' }), (n) => (n === name ? html : others(n)));
  }
  // The signed letter's mark goes where this link is (signature-space.ts): without it the mark falls to
  // the page's lower right and the signer's name is printed twice.
  if (name === 'signature' && !html.includes(SIGNATURE_SPACE_URL)) {
    throw new TemplateError(`แบบส่วนลงนามต้องมีที่ลงลายมือชื่อ — the signature template must keep the signature space: <a class="sign-space" href="${SIGNATURE_SPACE_URL}">…</a> around the place above the name`);
  }
}
/** One letter of each layout: the types without sub-types, and `type-subType` for every shipped sub-type template. */
const SAMPLE_KINDS: Array<[string, string | null]> = [
  ['external', null], ['internal', null], ['sealed', null],
  ...TEMPLATE_NAMES.filter((n) => n.includes('-')).map((n) => n.split('-') as [string, string]),
];

const THAI_DIGITS = '๐๑๒๓๔๕๖๗๘๙';
const toThaiDigits = (s: string) => s.replace(/[0-9]/g, (d) => THAI_DIGITS[Number(d)]);

/** Every string of the view in Thai digits (the markup and CSS of the templates stay as they are). */
function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return value.startsWith('data:') ? value : fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  return value;
}

const lines = (text: string | null | undefined) => (text ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
/** A list beside its label: one item as it is, several numbered. */
const listOf = (items: string[]) => (items.length ? { items: items.length === 1 ? items : items.map((x, i) => `${i + 1}. ${x}`) } : null);

export function urgencyText(f: Pick<LetterFields, 'urgency' | 'urgentBy'>): string | null {
  if (!f.urgency || f.urgency === 'normal') return null;
  if (f.urgency === 'deadline' && f.urgentBy) {
    const by = new Date(f.urgentBy);
    return `ด่วนภายใน ${thaiDateFull(by)} เวลา ${thaiTime(by)}`;
  }
  return URGENCY[f.urgency as keyof typeof URGENCY]?.th ?? null;
}

export function secrecyText(f: Pick<LetterFields, 'secrecy'>): string | null {
  return f.secrecy && f.secrecy !== 'normal' ? (SECRECY[f.secrecy as keyof typeof SECRECY]?.th ?? null) : null;
}

/** The view every template reads. */
export function letterView(f: LetterFields, issuer: LetterIssuer, options: ComposeOptions): View {
  const date = f.letterDate ? thaiDateOnlyFull(f.letterDate) : null;
  const [day, ...rest] = (date ?? '').split(' ');
  const sig = options.signature ?? {};
  const capacity = sig.capacity && sig.capacity !== 'self' ? CAPACITY_TH[sig.capacity] : null;
  const refs = (f.references ?? []).map((r) => [r.owner, `ที่ ${r.number}`, r.date ? `ลงวันที่ ${thaiDateOnlyFull(r.date)}` : ''].filter(Boolean).join(' '));
  const contactLines = f.contact ? lines(f.contact) : [issuer.unitName, issuer.phone ? `โทร. ${issuer.phone}` : null, issuer.email ? `ไปรษณีย์อิเล็กทรอนิกส์ ${issuer.email}` : null].filter((x): x is string => Boolean(x));
  const view: View = {
    subject: f.subject,
    draft: options.draft ?? false,
    urgency: urgencyText(f),
    letterNumber: f.letterNumber ?? '',
    // An unnumbered draft keeps the room where the date goes.
    dateText: date ?? '',
    // สั่ง / ประกาศ / ให้ไว้ ณ วันที่ 14 กุมภาพันธ์ พ.ศ. 2568
    dateTextFormal: date ? `${day} ${rest.slice(0, -1).join(' ')} พ.ศ. ${rest[rest.length - 1]}` : '',
    yearBE: String(f.letterDate ? Number(f.letterDate.slice(0, 4)) + 543 : buddhistYear(new Date())),
    garuda: options.garuda,
    agencyName: issuer.nameTh,
    agencyLines: [issuer.nameTh, ...lines(issuer.address)],
    unitLine: [issuer.unitName ?? issuer.nameTh, issuer.phone ? `โทร. ${issuer.phone}` : null].filter(Boolean).join(' '),
    salutation: f.salutation || 'เรียน',
    addressee: f.addressee ?? null,
    references: listOf(refs),
    enclosures: listOf(f.enclosures ?? []),
    paragraphs: lines(f.body),
    // The closing (ขอแสดงความนับถือ …) belongs to letters to someone; orders and announcements end with their date.
    closing: f.type === 'external' || f.type === 'internal' ? (f.closing ?? null) : null,
    signerName: f.signerName ?? null,
    signerPosition: f.signerPosition ?? null,
    capacity,
    principalPosition: capacity ? (sig.principalPosition ?? null) : null,
    typedName: sig.mode === 'typed' ? TYPED_NAME_NOTE : null,
    // Blocks shown once with a list inside: a section over a bare list would repeat its block per item.
    contact: contactLines.length ? { lines: contactLines } : null,
    copies: f.copiesTo?.length ? { items: f.copiesTo } : null,
  };
  return options.thaiDigits ? (mapStrings(view, toThaiDigits) as View) : view;
}

export type TemplateSource = (name: string) => string | undefined;

/** The letter's page as HTML: the organisation's templates where it has them, the shipped ones otherwise. */
export function composeHtml(f: LetterFields, view: View, overrides: TemplateSource = () => undefined): string {
  const cache = new Map<string, ReturnType<typeof parseTemplate>>();
  const partial = (name: string) => {
    if (!cache.has(name)) {
      const own = overrides(name);
      const nodes = own !== undefined ? parseTemplate(own) : shipped.get(name);
      if (!nodes) return undefined;
      cache.set(name, nodes);
    }
    return cache.get(name);
  };
  const letter = templateFor(f.type, f.subType);
  return renderTemplate(partial('layout')!, view, (name) => partial(name === 'letter' ? letter : name));
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/**
 * The letter's text in reading order, from the HTML just made (not from the PDF): each block on
 * its line, the secrecy mark first and last as on every page.
 */
export function letterText(html: string, secrecy: string | null): string {
  const body = html
    .replace(/<head[\s\S]*?<\/head>/i, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<img[^>]*>/gi, '')
    .replace(/<\/(p|div|h\d|li|tr)>|<br\s*\/?>|<hr[^>]*>/gi, '\n')
    .replace(/<\/span>/gi, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e]);
  const text = body.split('\n').map((l) => l.replace(/[ \t]+/g, ' ').trim()).filter(Boolean).join('\n');
  return secrecy ? `${secrecy}\n${text}\n${secrecy}` : text;
}
