// What the API accepts must fit where it is stored, on both databases: a string the schema allows
// but the column refuses is a 500 ("Data too long") on MariaDB and silently kept on SQLite.
import { expect } from 'chai';
import { api, login, Session } from '../helpers/factories';
import { testEnv } from '../helpers/env';
import { Document, DocumentVersion } from '../../server/db/models';

type Prop = { type?: string; maxLength?: number; enum?: unknown[]; $ref?: string };
type Component = { properties?: Record<string, Prop> };

describe('text limits: request schemas and columns agree', () => {
  let doc: { components: { schemas: Record<string, Component> }; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>> };
  before(async () => {
    doc = (await api().get('/api/openapi.json')).body;
  });

  it('no text column caps at 64 KB (MariaDB TEXT): each holds what SQLite holds', async () => {
    const { sequelize } = testEnv().ctx.db;
    const qi = sequelize.getQueryInterface();
    const capped: string[] = [];
    for (const t of (await qi.showAllTables()) as Array<string | { tableName: string }>) {
      const table = typeof t === 'string' ? t : t.tableName;
      for (const [column, c] of Object.entries(await qi.describeTable(table))) {
        if (/^(TINY|MEDIUM)?TEXT$/i.test(c.type)) capped.push(`${table}.${column} ${c.type}`);
      }
    }
    if (testEnv().dialect === 'sqlite') expect(capped.every((c) => c.endsWith('TEXT'))).to.equal(true); // SQLite TEXT has no cap
    else expect(capped, 'columns still TEXT on MariaDB').to.deep.equal([]);
  });

  it('every string field of a request body that names a column has a limit no longer than the column', () => {
    const { sequelize } = testEnv().ctx.db;
    const problems: string[] = [];
    let checked = 0;
    const names = new Set<string>();
    for (const item of Object.values(doc.paths)) {
      for (const op of Object.values(item)) {
        const ref = op.requestBody?.content['application/json']?.schema.$ref;
        if (ref) names.add(ref.split('/').pop()!);
      }
    }
    for (const name of names) {
      // DocumentCreate and DocumentUpdate are saved in Document, UnitCreate in Unit, and so on.
      const model = sequelize.models[name.replace(/(Create|Update)$/, '')];
      if (!model) continue;
      for (const [field, prop] of Object.entries(doc.components.schemas[name].properties ?? {})) {
        const attribute = model.getAttributes()[field];
        if (!attribute || prop.type !== 'string' || prop.enum) continue;
        const type = attribute.type as { key: string; options?: { length?: number } };
        checked += 1;
        if (type.key === 'STRING') {
          const length = type.options?.length ?? 255;
          if (prop.maxLength === undefined || prop.maxLength > length) problems.push(`${name}.${field}: schema allows ${prop.maxLength ?? 'any length'}, column ${model.name}.${field} holds ${length}`);
        } else if (type.key === 'TEXT' && prop.maxLength === undefined) {
          problems.push(`${name}.${field}: no limit on a TEXT column`);
        }
      }
    }
    expect(checked).to.be.greaterThan(20);
    expect(problems).to.deep.equal([]);
  });

  it('saves a Thai letter body past 64 KB, and one of the longest length allowed, with their versions', async function () {
    this.timeout(120000);
    const clerk: Session = await login('clerk');
    const max = (doc.components.schemas.DocumentCreate.properties!.body as Prop).maxLength!;
    // 22,000 Thai characters are 66,000 bytes, past MariaDB TEXT's 65,535. The longest allowed body
    // is sent as one unbroken run of Latin letters: Thai word segmentation of 200,000 characters
    // stalls today (issue 12 item 5), a separate repair.
    for (const body of ['ก'.repeat(22000), 'x'.repeat(max)]) {
      const res = await api().post('/api/documents').set(clerk.auth).send({ direction: 'internal', type: 'internal', subject: 'บันทึกยาวที่สุด', body });
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).to.equal(201);
      expect((await Document.findByPk(res.body.id))!.body).to.equal(body);
      const version = await DocumentVersion.findOne({ where: { documentId: res.body.id } });
      expect(JSON.parse(version!.content).body).to.equal(body);
    }
  });
});
