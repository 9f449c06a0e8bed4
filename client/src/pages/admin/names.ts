// How units, positions, groups and people are named in the UI language (Thai unless English is chosen and given).
import type { Group, Position, Unit, User } from '../../lib/types';

export function unitName(u: Unit | undefined, locale: string) {
  return u ? (locale === 'en' && u.nameEn) || u.nameTh : '—';
}

export function positionTitle(p: Position | undefined, locale: string) {
  return p ? (locale === 'en' && p.titleEn) || p.titleTh : '—';
}

export function userName(u: User | undefined, locale: string) {
  return u ? (locale === 'en' && u.nameEn) || u.displayName : '—';
}

export function groupName(g: Group, locale: string) {
  return (locale === 'en' && g.nameEn) || g.nameTh;
}
