// Strings of issue 17 (B.E. date entry, taking a number safely, the assign decision, arrival
// signals), kept apart so parallel work on messages.ts merges cleanly. Thai first.
export const officialsTh = {
  'date.placeholder': 'วว/ดด/ปปปป',
  'date.placeholderTime': 'วว/ดด/ปปปป ชช.นน',
  'date.hintBE': 'พิมพ์ปีเป็นพุทธศักราช เช่น 20/11/2569',
  'date.hintBETime': 'พิมพ์ปีเป็นพุทธศักราชและเวลา เช่น 20/11/2569 09.30',
  'date.unreadable': 'อ่านวันที่ไม่ได้: พิมพ์เป็น วว/ดด/ปปปป (พ.ศ.) เช่น 20/11/2569',
  'date.unreadableTime': 'อ่านวันเวลาไม่ได้: พิมพ์เป็น วว/ดด/ปปปป ชช.นน เช่น 20/11/2569 09.30',
  'date.yearBE': 'ปีต้องเป็นพุทธศักราช (พ.ศ.) เช่น 2569',
  'date.noSuchDay': 'ไม่มีวันที่นี้ในปฏิทิน',
  'date.pick': 'เปิดปฏิทิน',
  'date.prevMonth': 'เดือนก่อน',
  'date.nextMonth': 'เดือนถัดไป',
  'date.today': 'วันนี้',
  'number.confirmTitle': 'ยืนยันการออกเลขหนังสือ',
  'number.unsavedHint': 'มีการแก้ไขที่ยังไม่ได้บันทึก: เมื่อกดออกเลข ระบบจะบันทึกเป็นฉบับใหม่ก่อน',
  'number.savesFirst': 'การแก้ไขที่ยังไม่ได้บันทึกจะถูกบันทึกเป็นฉบับใหม่ก่อนออกเลข หากบันทึกไม่ได้ จะไม่ออกเลข',
  'number.saveAndTake': 'บันทึกและออกเลข',
} as const;

export const officialsEn: Record<keyof typeof officialsTh, string> = {
  'date.placeholder': 'dd/mm/yyyy',
  'date.placeholderTime': 'dd/mm/yyyy hh.mm',
  'date.hintBE': 'Type the year in the Buddhist era, e.g. 20/11/2569',
  'date.hintBETime': 'Type the year in the Buddhist era and the time, e.g. 20/11/2569 09.30',
  'date.unreadable': 'Not a date: type dd/mm/yyyy (B.E.), e.g. 20/11/2569',
  'date.unreadableTime': 'Not a date and time: type dd/mm/yyyy hh.mm (B.E.), e.g. 20/11/2569 09.30',
  'date.yearBE': 'The year must be in the Buddhist era (B.E.), e.g. 2569',
  'date.noSuchDay': 'There is no such day in the calendar',
  'date.pick': 'Open the calendar',
  'date.prevMonth': 'Previous month',
  'date.nextMonth': 'Next month',
  'date.today': 'Today',
  'number.confirmTitle': 'Take a number for this letter?',
  'number.unsavedHint': 'There are unsaved edits: taking a number saves them as a new version first',
  'number.savesFirst': 'Your unsaved edits are saved as a new version before the number is taken; if they cannot be saved, no number is taken.',
  'number.saveAndTake': 'Save and take the number',
};
