// Strings of issue 17's arrival signals, inbox order and acting-for (the done folder, the urgent
// sound, ในฐานะ on tasks, the 404 page), kept apart so parallel work on messages.ts merges cleanly.
export const signalsTh = {
  'urgency.deadline': 'ด่วนภายใน {date}',
  'inbox.tab.done': 'เรื่องที่ดำเนินการแล้ว',
  'inbox.doneEmpty': 'ยังไม่มีเรื่องที่ท่านดำเนินการแล้ว',
  'inbox.doneAt': 'ดำเนินการเมื่อ',
  'inbox.doneTotal': 'ดำเนินการแล้ว {count} เรื่อง',
  'inbox.pages': 'หน้าของรายการ',
  'inbox.actingAs': 'ในฐานะ {capacity} {position}',
  'inbox.actingFilter': 'แสดงเฉพาะงานในฐานะ {capacity} {position} ({count} งาน)',
  'inbox.showAll': 'ดูงานทั้งหมดในตำแหน่งของตนเอง',
  'signal.sound': 'เสียงเตือนเมื่อมีงานด่วนที่สุดเข้ามา',
  'signal.soundHint': 'ตั้งค่าเฉพาะเครื่องนี้ ปิดไว้เป็นค่าเริ่มต้น',
  'home.done': 'เรื่องที่ดำเนินการแล้ว',
  'header.capacityNow': 'ปฏิบัติหน้าที่ในฐานะ {label}',
  'notFound.title': 'ไม่พบหน้าที่ต้องการ',
  'notFound.body': 'ไม่มีหน้า {path} ในระบบ อาจพิมพ์ที่อยู่ผิดหรือลิงก์เก่าแล้ว',
  'notFound.home': 'กลับหน้าแรก',
} as const;

export const signalsEn: Record<keyof typeof signalsTh, string> = {
  'urgency.deadline': 'Urgent by {date}',
  'inbox.tab.done': 'Done',
  'inbox.doneEmpty': 'You have not completed any task yet',
  'inbox.doneAt': 'Completed',
  'inbox.doneTotal': '{count} completed',
  'inbox.pages': 'Pages of the list',
  'inbox.actingAs': 'as {capacity} {position}',
  'inbox.actingFilter': 'Only tasks as {capacity} {position} ({count})',
  'inbox.showAll': 'Show all tasks in my own position',
  'signal.sound': 'Sound when a most urgent task arrives',
  'signal.soundHint': 'For this browser only; off by default',
  'home.done': 'Done',
  'header.capacityNow': 'Acting as: {label}',
  'notFound.title': 'Page not found',
  'notFound.body': 'There is no page {path}. The address may be mistyped or the link out of date.',
  'notFound.home': 'Back to the home page',
};
