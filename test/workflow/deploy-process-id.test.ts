// The process id a diagram deploys under (issue 17 item 10): an XML NCName in ASCII, and a new
// diagram ("แผนภาพใหม่") never silently becomes the next version of an existing process.
import { expect } from 'chai';
import { api, login, Session } from '../helpers/factories';
import { threeStepXml, deployXml } from '../helpers/workflow';
import { ProcessDefinition } from '../../server/db/models';

describe('the process id of a deployment', () => {
  let designer: Session;
  before(async () => {
    designer = await login('designer');
  });

  for (const [what, id] of [
    ['starts with a digit', '1st_process'],
    ['has a space', 'new process'],
    ['has a colon (a prefix)', 'camunda:p'],
    ['is Thai', 'กระบวนงาน'],
    ['is longer than 128 characters', `p${'x'.repeat(128)}`],
  ] as const) {
    it(`refuses an id that ${what} with 422 and a Thai message naming the process, storing nothing`, async () => {
      const xml = threeStepXml(id).replace(`id="defs_${id}"`, 'id="defs"');
      for (const path of ['/api/workflow/definitions', '/api/workflow/definitions/validate']) {
        const res = await api().post(path).set(designer.auth).send({ xml, newProcess: true });
        expect(res.status, JSON.stringify(res.body)).to.equal(422);
        const problem = res.body.error.details.find((d: { elementId: string | null }) => d.elementId === id);
        expect(problem, JSON.stringify(res.body.error.details)).to.not.equal(undefined);
        expect(problem.message).to.match(/^รหัสกระบวนงาน .+ใช้ไม่ได้/);
      }
      expect(await ProcessDefinition.count({ where: { key: id } })).to.equal(0);
    });
  }

  it('deploys a new process under the id it was given, then refuses a second new one with the same id (409, nothing stored)', async () => {
    const key = `new_${Date.now()}`;
    const first = await api().post('/api/workflow/definitions').set(designer.auth).send({ xml: threeStepXml(key), newProcess: true });
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect(first.body.key).to.equal(key);
    expect(first.body.version).to.equal(1);

    for (const path of ['/api/workflow/definitions', '/api/workflow/definitions/validate']) {
      const clash = await api().post(path).set(designer.auth).send({ xml: threeStepXml(key).replace('Step A', 'Other'), newProcess: true });
      expect(clash.status, JSON.stringify(clash.body)).to.equal(409);
      expect(clash.body.error.code).to.equal('conflict');
      expect(clash.body.error.message).to.match(new RegExp(`^มีกระบวนงานรหัส "${key}" อยู่แล้ว`));
      expect(clash.body.error.details[0]).to.include({ field: 'processId' });
    }
    expect(await ProcessDefinition.count({ where: { key } })).to.equal(1);

    // Deployed as a change of that process (not as a new one), it is its next version.
    expect((await deployXml(designer, threeStepXml(key).replace('Step A', 'Other'))).version).to.equal(2);
  });

  it('refuses a new process whose id is one the organisation inherits from the ministry', async () => {
    const res = await api().post('/api/workflow/definitions').set(designer.auth).send({ xml: threeStepXml('incoming_letter'), newProcess: true });
    expect(res.status, JSON.stringify(res.body)).to.equal(409);
    expect(res.body.error.message).to.include('"incoming_letter"');
  });

  it('refuses a process whose id is also another element\'s with 422 naming that id', async () => {
    const key = `twice_${Date.now()}`;
    const res = await api().post('/api/workflow/definitions').set(designer.auth).send({ xml: threeStepXml(key).replace('id="a"', `id="${key}"`).replace('targetRef="a"', `targetRef="${key}"`).replace('sourceRef="a"', `sourceRef="${key}"`), newProcess: true });
    expect(res.status, JSON.stringify(res.body)).to.equal(422);
    expect(res.body.error.details.some((d: { elementId: string; message: string }) => d.elementId === key && /ซ้ำ/.test(d.message)), JSON.stringify(res.body.error.details)).to.equal(true);
  });

  it('refuses newProcess that is not a boolean with 400', async () => {
    const res = await api().post('/api/workflow/definitions').set(designer.auth).send({ xml: threeStepXml(`x_${Date.now()}`), newProcess: 'yes' });
    expect(res.status).to.be.within(400, 422);
    expect(res.body.error).to.have.property('code');
  });
});
