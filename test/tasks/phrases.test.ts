// Stock endorsement phrases (issue 17 item 7): every organisation starts with the defaults, its
// members read them, only its administrators (or those above it) replace them, and a bad list is
// refused whole with a 4xx JSON error.
import { expect } from 'chai';
import { api, buildUser, login, orgByCode, Session } from '../helpers/factories';
import { EndorsementPhrase, Organisation } from '../../server/db/models';
import { DEFAULT_PHRASES } from '../../server/modules/tasks/phrases';

type Phrase = { id: number; decision: string; text: string };
const pairs = (items: Phrase[]) => items.map((p) => [p.decision, p.text]);

describe('stock endorsement phrases (/organisations/:orgId/endorsement-phrases)', () => {
  let admin: Session, director: Session, cmAdmin: Session, cmClerk: Session;
  let central: Organisation, chiangMai: Organisation;
  const url = (org: Organisation | number) => `/api/organisations/${typeof org === 'number' ? org : org.id}/endorsement-phrases`;
  const read = async (who: Session, org: Organisation) => {
    const res = await api().get(url(org)).set(who.auth);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body.items as Phrase[];
  };
  const defaults = DEFAULT_PHRASES.map(([decision, text]) => ({ decision, text }));

  before(async () => {
    [admin, director, cmAdmin, cmClerk] = await Promise.all(['admin', 'director', 'cm.admin', 'cm.clerk'].map((u) => login(u)));
    [central, chiangMai] = await Promise.all([orgByCode('สธ 02'), orgByCode('ชม 0033')]);
  });
  after(async () => {
    await api().put(url(central)).set(admin.auth).send({ items: defaults });
  });

  it('gives the demo organisations the default phrases, which any member reads in order', async () => {
    const items = await read(director, central);
    expect(pairs(items)).to.deep.equal(DEFAULT_PHRASES.map(([d, t]) => [d, t]));
    expect(pairs(items)).to.deep.include(['acknowledge', 'ทราบ']);
    expect(pairs(items)).to.deep.include(['assign', 'มอบ {หน่วยงาน} ดำเนินการ']);
    expect(pairs(await read(cmClerk, chiangMai))).to.deep.include(['approve', 'อนุมัติ']);
  });

  it("refuses another organisation's list to a member (403) and says 404 for an organisation that does not exist", async () => {
    const foreign = await api().get(url(central)).set(cmClerk.auth);
    expect(foreign.status).to.equal(403);
    expect(foreign.body.error.code).to.equal('forbidden');
    expect((await api().get(url(987654)).set(director.auth)).status).to.equal(404);
  });

  it("lets the organisation's administrator replace the list; members then read the new one, in the order given", async () => {
    const items = [
      { decision: 'acknowledge', text: '  ทราบ ให้ถือปฏิบัติ ' },
      { decision: 'assign', text: 'มอบ {หน่วยงาน} ดำเนินการด่วน' },
      { decision: 'acknowledge', text: 'ทราบ' },
    ];
    const res = await api().put(url(central)).set(admin.auth).send({ items });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const expected = [['acknowledge', 'ทราบ ให้ถือปฏิบัติ'], ['assign', 'มอบ {หน่วยงาน} ดำเนินการด่วน'], ['acknowledge', 'ทราบ']];
    expect(pairs(res.body.items)).to.deep.equal(expected);
    expect(pairs(await read(director, central))).to.deep.equal(expected);
    // Another organisation's list is its own.
    expect(pairs(await read(cmClerk, chiangMai))).to.deep.include(['approve', 'อนุมัติ']);
  });

  it('refuses the change to a member who is not an administrator, and leaves the list as it was', async () => {
    const before = pairs(await read(director, central));
    const res = await api().put(url(central)).set(director.auth).send({ items: [{ decision: 'approve', text: 'อนุมัติ' }] });
    expect(res.status).to.equal(403);
    expect(res.body.error.code).to.equal('forbidden');
    expect(pairs(await read(director, central))).to.deep.equal(before);
  });

  it("refuses the change to another organisation's administrator, who still changes their own", async () => {
    const before = pairs(await read(director, central));
    const res = await api().put(url(central)).set(cmAdmin.auth).send({ items: [] });
    expect(res.status).to.equal(403);
    expect(pairs(await read(director, central))).to.deep.equal(before);
    // …nor may a provincial administrator change the province beside it.
    const khonKaenAdmin = await login((await buildUser((await orgByCode('ขก 0033')).id, { roles: ['system_admin', 'staff'] })).username);
    expect((await api().put(url(chiangMai)).set(khonKaenAdmin.auth).send({ items: [] })).status).to.equal(403);
    const own = await api().put(url(chiangMai)).set(cmAdmin.auth).send({ items: [{ decision: 'acknowledge', text: 'ทราบ ดำเนินการ' }] });
    expect(own.status, JSON.stringify(own.body)).to.equal(200);
    expect(pairs(await read(cmClerk, chiangMai))).to.deep.equal([['acknowledge', 'ทราบ ดำเนินการ']]);
    await api().put(url(chiangMai)).set(cmAdmin.auth).send({ items: defaults });
  });

  it('refuses a bad list whole with a 4xx JSON error that names the item, and writes nothing', async () => {
    const before = await EndorsementPhrase.count({ where: { organisationId: central.id } });
    const bad: Array<[unknown, number, string]> = [
      [{ items: [{ decision: 'acknowledge', text: 'ทราบ' }, { decision: 'acknowledge', text: ' ทราบ' }] }, 422, 'items.1.text'],
      [{ items: [{ decision: 'ทราบ', text: 'ทราบ' }] }, 400, 'items.0.decision'],
      [{ items: [{ decision: 'acknowledge', text: '   ' }] }, 400, 'items.0.text'],
      [{ items: [{ decision: 'acknowledge', text: 'ก'.repeat(301) }] }, 400, 'items.0.text'],
      [{ items: [{ decision: 'acknowledge', text: 'ทราบ', extra: 1 }] }, 400, 'items.0'],
      [{ items: Array.from({ length: 101 }, (_, i) => ({ decision: 'acknowledge', text: `ทราบ ${i}` })) }, 400, 'items'],
      [{ items: 'ทราบ' }, 400, 'items'],
      [{}, 400, 'items'],
    ];
    for (const [body, status, field] of bad) {
      const res = await api().put(url(central)).set(admin.auth).send(body as object);
      expect(res.status, JSON.stringify(res.body)).to.equal(status);
      expect(res.body.error.code).to.be.a('string');
      expect(JSON.stringify(res.body.error.details)).to.include(field);
    }
    expect(await EndorsementPhrase.count({ where: { organisationId: central.id } })).to.equal(before);
  });

  it('gives an organisation created through the API the default phrases', async () => {
    const res = await api().post('/api/organisations').set(admin.auth).send({ parentId: central.id, kind: 'agency', nameTh: 'หน่วยงานทดลองข้อความเกษียน', agencyCode: `สธ 02.${Date.now() % 100000}` });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const items = (await api().get(url(res.body.id)).set(admin.auth)).body.items as Phrase[];
    expect(pairs(items)).to.deep.equal(DEFAULT_PHRASES.map(([d, t]) => [d, t]));
  });
});
