// Demo organisation: the Ministry of Public Health with its Office of the Permanent Secretary
// (central office) and two provincial health offices, their units, a chain of command
// (clerk → section head → division director → deputy → permanent secretary) and users.
// The agency codes follow the real pattern but are demo data.
import type { QueryInterface, Transaction } from 'sequelize';
import { initModels, Organisation, Unit, Position, User, Group, GroupMember, Delegation, RoleKey } from '../server/db/models';
import { hashPassword } from '../server/modules/auth/passwords';
import { ROLE_NAMES } from '../server/modules/org/service';

export const DEMO_PASSWORD = process.env.DEMO_PASSWORD || 'saraban-demo';

/** Printed at start so a newcomer can sign in at once. */
export const DEMO_LOGINS: Array<{ username: string; roleTh: string; roleEn: string }> = [
  { username: 'admin', roleTh: 'ผู้ดูแลระบบ (ส่วนกลาง)', roleEn: 'system administrator, central office' },
  { username: 'designer', roleTh: 'ผู้ออกแบบกระบวนงาน', roleEn: 'process designer' },
  { username: 'clerk', roleTh: 'เจ้าหน้าที่สารบรรณ', roleEn: 'registry clerk' },
  { username: 'sectionhead', roleTh: 'หัวหน้ากลุ่มสารบรรณ', roleEn: 'section head' },
  { username: 'director', roleTh: 'ผู้อำนวยการกองกลาง', roleEn: 'division director' },
  { username: 'deputy', roleTh: 'รองปลัดกระทรวง', roleEn: 'deputy permanent secretary' },
  { username: 'permsec', roleTh: 'ปลัดกระทรวง', roleEn: 'permanent secretary' },
  { username: 'cm.admin', roleTh: 'ผู้ดูแลระบบ สสจ.เชียงใหม่', roleEn: 'administrator, Chiang Mai provincial office' },
  { username: 'cm.clerk', roleTh: 'เจ้าหน้าที่สารบรรณ สสจ.เชียงใหม่', roleEn: 'registry clerk, Chiang Mai provincial office' },
];

type PersonSpec = { username: string; prefixTh: string; firstNameTh: string; lastNameTh: string; nameEn: string; position: string; roles: RoleKey[] };

async function createOrg(t: Transaction, fields: Record<string, unknown>): Promise<{ org: Organisation; roles: Map<RoleKey, Group> }> {
  const org = await Organisation.create({ active: true, ...fields }, { transaction: t });
  const roles = new Map<RoleKey, Group>();
  for (const key of Object.keys(ROLE_NAMES) as RoleKey[]) {
    roles.set(key, await Group.create({ organisationId: org.id, key, nameTh: ROLE_NAMES[key][0], nameEn: ROLE_NAMES[key][1] }, { transaction: t }));
  }
  return { org, roles };
}

async function createPeople(t: Transaction, org: Organisation, roles: Map<RoleKey, Group>, positions: Map<string, Position>, people: PersonSpec[], passwordHash: string, domain: string) {
  const users = new Map<string, User>();
  for (const p of people) {
    const position = positions.get(p.position)!;
    const user = await User.create(
      {
        organisationId: org.id, unitId: position.unitId, positionId: position.id, username: p.username, passwordHash,
        prefixTh: p.prefixTh, firstNameTh: p.firstNameTh, lastNameTh: p.lastNameTh, nameEn: p.nameEn,
        email: `${p.username.replace(/\./g, '-')}@${domain}`, locale: 'th',
      },
      { transaction: t },
    );
    await GroupMember.bulkCreate(p.roles.map((r) => ({ groupId: roles.get(r)!.id, userId: user.id })), { transaction: t });
    users.set(p.username, user);
  }
  return users;
}

export async function up(qi: QueryInterface): Promise<void> {
  initModels(qi.sequelize);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await qi.sequelize.transaction(async (t) => {
    const ministry = await createOrg(t, { parentId: null, kind: 'ministry', nameTh: 'กระทรวงสาธารณสุข', nameEn: 'Ministry of Public Health', agencyCode: 'สธ', ministryCode: 'สธ', interchangeId: 'MOPH', address: 'ถนนติวานนท์ อำเภอเมือง จังหวัดนนทบุรี 11000' });
    const central = await createOrg(t, { parentId: ministry.org.id, kind: 'department', nameTh: 'สำนักงานปลัดกระทรวงสาธารณสุข', nameEn: 'Office of the Permanent Secretary, Ministry of Public Health', agencyCode: 'สธ 02', ministryCode: 'สธ', interchangeId: 'MOPH-OPS', address: 'ถนนติวานนท์ อำเภอเมือง จังหวัดนนทบุรี 11000', phone: '0 2590 1000', email: 'saraban@ops.example.go.th' });

    const unit = async (organisationId: number, nameTh: string, nameEn: string, kind: string, ownerCode: string, parentUnitId: number | null = null, keepsOwnRegister = false) =>
      Unit.create({ organisationId, nameTh, nameEn, kind, ownerCode, parentUnitId, keepsOwnRegister }, { transaction: t });
    const general = await unit(central.org.id, 'กองกลาง', 'General Affairs Division', 'division', 'สธ 0201', null, true);
    const saraban = await unit(central.org.id, 'กลุ่มงานสารบรรณ', 'Correspondence Section', 'section', 'สธ 0201.1', general.id);
    const ict = await unit(central.org.id, 'ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร', 'ICT Centre', 'division', 'สธ 0212');
    const planning = await unit(central.org.id, 'กองยุทธศาสตร์และแผนงาน', 'Strategy and Planning Division', 'division', 'สธ 0203');

    const positions = new Map<string, Position>();
    const position = async (key: string, organisationId: number, titleTh: string, titleEn: string, unitId: number | null, reportsTo: string | null) => {
      const p = await Position.create({ organisationId, titleTh, titleEn, unitId, reportsToId: reportsTo ? positions.get(reportsTo)!.id : null }, { transaction: t });
      positions.set(key, p);
      return p;
    };
    await position('permsec', central.org.id, 'ปลัดกระทรวงสาธารณสุข', 'Permanent Secretary', null, null);
    await position('deputy', central.org.id, 'รองปลัดกระทรวงสาธารณสุข', 'Deputy Permanent Secretary', null, 'permsec');
    await position('director', central.org.id, 'ผู้อำนวยการกองกลาง', 'Director, General Affairs Division', general.id, 'deputy');
    await position('sectionhead', central.org.id, 'หัวหน้ากลุ่มงานสารบรรณ', 'Head, Correspondence Section', saraban.id, 'director');
    await position('clerk', central.org.id, 'เจ้าพนักงานธุรการ', 'Correspondence Clerk', saraban.id, 'sectionhead');
    await position('officer', central.org.id, 'นักจัดการงานทั่วไป', 'General Administration Officer', saraban.id, 'sectionhead');
    await position('ictdirector', central.org.id, 'ผู้อำนวยการศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร', 'Director, ICT Centre', ict.id, 'deputy');
    await position('admin', central.org.id, 'นักวิชาการคอมพิวเตอร์', 'Computer Technical Officer', ict.id, 'ictdirector');
    await position('plandirector', central.org.id, 'ผู้อำนวยการกองยุทธศาสตร์และแผนงาน', 'Director, Strategy and Planning Division', planning.id, 'deputy');
    await position('designer', central.org.id, 'นักวิเคราะห์นโยบายและแผน', 'Policy and Planning Analyst', planning.id, 'plandirector');

    const centralUsers = await createPeople(t, central.org, central.roles, positions, [
      { username: 'permsec', prefixTh: 'นายแพทย์', firstNameTh: 'ประเสริฐ', lastNameTh: 'วงศ์สวัสดิ์', nameEn: 'Prasert Wongsawat', position: 'permsec', roles: ['executive', 'staff'] },
      { username: 'deputy', prefixTh: 'นาง', firstNameTh: 'สุนีย์', lastNameTh: 'ศรีสุข', nameEn: 'Sunee Srisuk', position: 'deputy', roles: ['executive', 'staff'] },
      { username: 'director', prefixTh: 'นาย', firstNameTh: 'วิชัย', lastNameTh: 'ทองดี', nameEn: 'Wichai Thongdee', position: 'director', roles: ['executive', 'staff'] },
      { username: 'sectionhead', prefixTh: 'นางสาว', firstNameTh: 'มาลี', lastNameTh: 'รักงาม', nameEn: 'Malee Rakngam', position: 'sectionhead', roles: ['staff'] },
      { username: 'clerk', prefixTh: 'นางสาว', firstNameTh: 'กัญญา', lastNameTh: 'สายใจ', nameEn: 'Kanya Saijai', position: 'clerk', roles: ['registry_clerk', 'staff'] },
      { username: 'officer', prefixTh: 'นาย', firstNameTh: 'ธนพล', lastNameTh: 'มั่นคง', nameEn: 'Thanapol Mankong', position: 'officer', roles: ['staff'] },
      { username: 'ictdirector', prefixTh: 'นาย', firstNameTh: 'ชัยวัฒน์', lastNameTh: 'พัฒนกิจ', nameEn: 'Chaiwat Pattanakit', position: 'ictdirector', roles: ['executive', 'staff'] },
      { username: 'admin', prefixTh: 'นาย', firstNameTh: 'อนุชา', lastNameTh: 'เก่งกาจ', nameEn: 'Anucha Kengkat', position: 'admin', roles: ['system_admin', 'staff'] },
      { username: 'designer', prefixTh: 'นางสาว', firstNameTh: 'ปิยะดา', lastNameTh: 'วางแผน', nameEn: 'Piyada Wangphaen', position: 'designer', roles: ['process_designer', 'staff'] },
    ], passwordHash, 'ops.example.go.th');

    // The director acts for the deputy this month (ปฏิบัติราชการแทน), by a recorded order.
    const now = Date.now();
    await Delegation.create({
      organisationId: central.org.id, principalPositionId: positions.get('deputy')!.id, delegateUserId: centralUsers.get('director')!.id,
      capacity: 'acting_for', startsAt: new Date(now - 24 * 3600e3), endsAt: new Date(now + 30 * 24 * 3600e3),
      orderNumber: 'คำสั่งสำนักงานปลัดกระทรวงสาธารณสุข ที่ 1234/2569', orderDate: new Date(now - 2 * 24 * 3600e3).toISOString().slice(0, 10),
      note: 'ปฏิบัติราชการแทนรองปลัดกระทรวงสาธารณสุขระหว่างเดินทางไปราชการต่างประเทศ', createdById: centralUsers.get('admin')!.id, revokedAt: null,
    }, { transaction: t });

    for (const [prefix, province, provinceEn, code] of [
      ['cm', 'เชียงใหม่', 'Chiang Mai', 'ชม 0033'],
      ['kk', 'ขอนแก่น', 'Khon Kaen', 'ขก 0033'],
    ] as const) {
      const office = await createOrg(t, { parentId: central.org.id, kind: 'provincial_office', nameTh: `สำนักงานสาธารณสุขจังหวัด${province}`, nameEn: `${provinceEn} Provincial Public Health Office`, agencyCode: code, ministryCode: 'สธ', interchangeId: `MOPH-${prefix.toUpperCase()}`, address: `ศาลากลางจังหวัด${province}`, email: `saraban@${prefix}.example.go.th` });
      const admin = await unit(office.org.id, 'กลุ่มงานบริหารทั่วไป', 'General Administration Section', 'section', `${code}.01`, null, true);
      const disease = await unit(office.org.id, 'กลุ่มงานควบคุมโรคติดต่อ', 'Communicable Disease Control Section', 'section', `${code}.05`);
      await position(`${prefix}.chief`, office.org.id, `นายแพทย์สาธารณสุขจังหวัด${province}`, `Provincial Chief Medical Officer, ${provinceEn}`, null, 'deputy');
      await position(`${prefix}.deputy`, office.org.id, `รองนายแพทย์สาธารณสุขจังหวัด${province}`, `Deputy Provincial Chief Medical Officer, ${provinceEn}`, null, `${prefix}.chief`);
      await position(`${prefix}.head`, office.org.id, 'หัวหน้ากลุ่มงานบริหารทั่วไป', 'Head, General Administration Section', admin.id, `${prefix}.deputy`);
      await position(`${prefix}.clerk`, office.org.id, 'เจ้าพนักงานธุรการ', 'Correspondence Clerk', admin.id, `${prefix}.head`);
      await position(`${prefix}.admin`, office.org.id, 'นักวิชาการคอมพิวเตอร์', 'Computer Technical Officer', admin.id, `${prefix}.head`);
      await position(`${prefix}.epi`, office.org.id, 'นักวิชาการสาธารณสุข', 'Public Health Technical Officer', disease.id, `${prefix}.deputy`);
      const names = prefix === 'cm'
        ? [['นายแพทย์', 'ธีรวัฒน์', 'เชียงคำ', 'Teerawat Chiangkham'], ['นาง', 'อรุณี', 'ดอยสูง', 'Arunee Doisung'], ['นาง', 'บัวผัน', 'ปิงเย็น', 'Buaphan Pingyen'], ['นางสาว', 'ศิริพร', 'ล้านนา', 'Siriporn Lanna'], ['นาย', 'ณัฐพล', 'คำแสน', 'Nattapol Khamsaen'], ['นาย', 'เอกชัย', 'แม่ริม', 'Ekkachai Maerim']]
        : [['แพทย์หญิง', 'สมใจ', 'แก่นคูณ', 'Somjai Kaenkhun'], ['นาย', 'บุญมี', 'มีสุข', 'Boonmee Meesuk'], ['นาง', 'จันทร์เพ็ญ', 'ภูเวียง', 'Chanpen Phuwiang'], ['นางสาว', 'พรทิพย์', 'ชุมแพ', 'Pornthip Chumphae'], ['นาย', 'สุริยา', 'บ้านไผ่', 'Suriya Banphai'], ['นาง', 'ลำดวน', 'หนองเรือ', 'Lamduan Nongruea']];
      const keys = ['chief', 'deputy', 'head', 'clerk', 'admin', 'epi'] as const;
      const roles: Record<(typeof keys)[number], RoleKey[]> = { chief: ['executive', 'staff'], deputy: ['executive', 'staff'], head: ['staff'], clerk: ['registry_clerk', 'staff'], admin: ['system_admin', 'staff'], epi: ['staff'] };
      await createPeople(t, office.org, office.roles, positions, keys.map((k, i) => ({
        username: `${prefix}.${k}`, prefixTh: names[i][0], firstNameTh: names[i][1], lastNameTh: names[i][2], nameEn: names[i][3], position: `${prefix}.${k}`, roles: roles[k],
      })), passwordHash, `${prefix}.example.go.th`);
    }
  });
}

export async function down(qi: QueryInterface): Promise<void> {
  // Demo data is removed by dropping the database; deleting people from a live register is not undone here.
  void qi;
}
