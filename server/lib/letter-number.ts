// Letter numbers (ที่ …): `นร 0105/123`, circulars `มท 0201.2/ว 15`, orders `15/2568`, and the key
// that matches them loosely (spacing and Thai versus Arabic digits do not matter).
import { arabicDigits } from './thai-date';

/**
 * The mark before a number of the secret series (`สธ 0201.1/ลับ 12`), so a secret letter's ที่ never
 * equals an ordinary one. Agency practice to verify against the secrets regulation (B.E. 2544).
 */
export const SECRET_SERIES_MARK = 'ลับ';

export function formatLetterNumber(kind: 'outgoing' | 'circular' | 'order' | 'incoming' | 'secret', ownerCode: string, number: number, buddhistYear: number): string {
  if (kind === 'order') return `${number}/${buddhistYear}`;
  if (kind === 'circular') return `${ownerCode}/ว ${number}`;
  if (kind === 'secret') return `${ownerCode}/${SECRET_SERIES_MARK} ${number}`;
  return `${ownerCode}/${number}`;
}

/** The lookup key: no whitespace, Arabic digits, lower case (for Latin codes). */
export function letterNumberKey(letterNumber: string): string {
  return arabicDigits(letterNumber.normalize('NFC')).replace(/\s+/g, '').toLowerCase();
}
