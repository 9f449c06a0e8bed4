// Performers named by a variable stay inside the instance's own line of organisations: a task is
// never created for a person, unit or position of another ministry or a sibling office.
import { expect } from 'chai';
import { api, buildOrganisation, buildPosition, buildUnit, buildUser, login, orgByCode, type Session } from '../helpers/factories';
import { bpmn, deployXml } from '../helpers/workflow';
import { User } from '../../server/db/models';

describe('performers named by variables', () => {
  let designer: Session;
  let clerk: Session;

  before(async () => {
    designer = await login('designer');
    clerk = await login('clerk');
    await deployXml(designer, bpmn('to_whom', `
      <bpmn:startEvent id="start" />
      <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="handle" />
      <bpmn:userTask id="handle" name="ดำเนินการ" camunda:candidateUsers="\${who}" />
      <bpmn:sequenceFlow id="f2" sourceRef="handle" targetRef="end" />
      <bpmn:endEvent id="end" />`));
  });

  const start = (who: string, as: Session = clerk) => api().post('/api/workflow/instances').set(as.auth).send({ processKey: 'to_whom', variables: { who, document: { subject: 'เรื่องภายใน' } } });
  const organisationOf = async (username: string) => (await User.findOne({ where: { username } }))!.organisationId;

  it('refuses a person, unit or position of another ministry or of a sibling office, and creates nothing', async () => {
    const otherMinistry = await buildOrganisation();
    const targets: Array<[string, Session]> = [
      [`user:${(await buildUser(otherMinistry.id)).id}`, clerk],
      [`unit:${(await buildUnit(otherMinistry.id)).id}`, clerk],
      [`position:${(await buildPosition(otherMinistry.id)).id}`, clerk],
      // Chiang Mai's clerk naming someone of Khon Kaen, its sibling provincial office.
      [`user:${(await buildUser((await orgByCode('ขก 0033')).id)).id}`, await login('cm.clerk')],
    ];
    const before = (await api().get('/api/workflow/instances').set(designer.auth)).body.total as number;
    for (const [who, as] of targets) {
      const res = await start(who, as);
      expect(res.status, `${who}: ${JSON.stringify(res.body)}`).to.equal(422);
      expect(res.body.error.message).to.match(/does not exist in this organisation/);
    }
    expect((await api().get('/api/workflow/instances').set(designer.auth)).body.total).to.equal(before);
  });

  it('accepts a person of the organisation and of one below it', async () => {
    const clerkOrg = await organisationOf('clerk');
    const below = await buildOrganisation({ parentId: clerkOrg });
    for (const organisationId of [clerkOrg, below.id]) {
      const res = await start(`user:${(await buildUser(organisationId)).id}`);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    }
  });
});
