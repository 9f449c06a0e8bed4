// Code list: ministry letter codes used in letter numbers (ที่ นร 0105/123). Editable seed data:
// verify against the current Royal Gazette before relying on it.
import type { QueryInterface } from 'sequelize';

export const MINISTRY_CODES: Array<[string, string, string]> = [
  ['นร', 'สำนักนายกรัฐมนตรี', "Prime Minister's Office"],
  ['กห', 'กระทรวงกลาโหม', 'Ministry of Defence'],
  ['กค', 'กระทรวงการคลัง', 'Ministry of Finance'],
  ['กต', 'กระทรวงการต่างประเทศ', 'Ministry of Foreign Affairs'],
  ['กก', 'กระทรวงการท่องเที่ยวและกีฬา', 'Ministry of Tourism and Sports'],
  ['พม', 'กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์', 'Ministry of Social Development and Human Security'],
  ['กษ', 'กระทรวงเกษตรและสหกรณ์', 'Ministry of Agriculture and Cooperatives'],
  ['คค', 'กระทรวงคมนาคม', 'Ministry of Transport'],
  ['ทส', 'กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม', 'Ministry of Natural Resources and Environment'],
  ['ดศ', 'กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม', 'Ministry of Digital Economy and Society'],
  ['พน', 'กระทรวงพลังงาน', 'Ministry of Energy'],
  ['พณ', 'กระทรวงพาณิชย์', 'Ministry of Commerce'],
  ['มท', 'กระทรวงมหาดไทย', 'Ministry of Interior'],
  ['ยธ', 'กระทรวงยุติธรรม', 'Ministry of Justice'],
  ['รง', 'กระทรวงแรงงาน', 'Ministry of Labour'],
  ['วธ', 'กระทรวงวัฒนธรรม', 'Ministry of Culture'],
  ['อว', 'กระทรวงการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรม', 'Ministry of Higher Education, Science, Research and Innovation'],
  ['ศธ', 'กระทรวงศึกษาธิการ', 'Ministry of Education'],
  ['สธ', 'กระทรวงสาธารณสุข', 'Ministry of Public Health'],
  ['อก', 'กระทรวงอุตสาหกรรม', 'Ministry of Industry'],
];

export async function up(qi: QueryInterface): Promise<void> {
  const [rows] = await qi.sequelize.query('SELECT code FROM ministry_codes');
  const have = new Set((rows as Array<{ code: string }>).map((r) => r.code));
  const missing = MINISTRY_CODES.filter(([code]) => !have.has(code)).map(([code, nameTh, nameEn]) => ({ code, nameTh, nameEn }));
  if (missing.length) await qi.bulkInsert('ministry_codes', missing);
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.bulkDelete('ministry_codes', { code: MINISTRY_CODES.map(([code]) => code) });
}
