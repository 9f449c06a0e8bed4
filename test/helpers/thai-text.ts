// Long Thai letters for tests and benchmarks: sentences of official letters, spaced, on new lines,
// and run together (as Thai is written), in a repeatable order.
const SENTENCES = [
  'ตามที่กระทรวงมหาดไทยได้แจ้งให้หน่วยงานในสังกัดดำเนินการจัดทำแผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. ๒๕๖๘ นั้น',
  'สำนักงานสาธารณสุขจังหวัดเชียงใหม่ขอรายงานผลการดำเนินงานตามตัวชี้วัดที่ 3.2 ดังรายละเอียดที่แนบมาพร้อมนี้',
  'จึงเรียนมาเพื่อโปรดพิจารณาอนุมัติให้ข้าราชการเดินทางไปราชการต่างประเทศ ณ กรุงโตเกียว ประเทศญี่ปุ่น',
  'ทั้งนี้ ได้แนบสำเนาหนังสือที่ นร 0105/ว 123 ลงวันที่ 14 กุมภาพันธ์ 2568 มาเพื่อประกอบการพิจารณาด้วยแล้ว',
  'คณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์ (e-Saraban) ขอเชิญประชุมเชิงปฏิบัติการในวันพุธที่ ๑๙ มีนาคม',
  'ขอความเห็นต่อข้อเสนอโครงการปรับปรุงอาคารสำนักงานและครุภัณฑ์คอมพิวเตอร์ วงเงิน 1,250,000 บาท',
  'โรงพยาบาลส่งเสริมสุขภาพตำบลบ้านหนองบัวได้รับการจัดสรรงบประมาณสนับสนุนการป้องกันและควบคุมโรคไข้เลือดออก',
  'อนึ่ง หากมีข้อสงสัยประการใดโปรดติดต่อกลุ่มงานบริหารทั่วไป โทร. 0 2590 1000 หรือ saraban@moph.go.th',
];

/** A letter body of exactly `length` characters; the same `seed` gives the same text. */
export function thaiText(length: number, seed = 7): string {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648);
  let out = '';
  // Every sentence carries a number of its own, as articles and amounts do: many distinct tokens.
  for (let n = 1; out.length < length; n++) out += `${SENTENCES[next() % SENTENCES.length]} ข้อ ${seed}.${n}${[' ', '\n', '', ''][next() % 4]}`;
  return out.slice(0, length);
}
