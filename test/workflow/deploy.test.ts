import { expect } from 'chai';
import { api, login, Session } from '../helpers/factories';
import { bpmn, deployXml, startInstance, threeStepXml, inbox, complete } from '../helpers/workflow';
import { ProcessDefinition, ProcessInstance } from '../../server/db/models';

const cases: Array<[string, string, string | null, RegExp]> = [
  ['malformed XML', '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="x"', null, /not well-formed/],
  ['no executable process', bpmn('p', '<bpmn:startEvent id="s" />').replace('isExecutable="true"', 'isExecutable="false"'), 'p', /no executable process/],
  ['a script task', bpmn('p', '<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="run" /><bpmn:scriptTask id="run" scriptFormat="javascript"><bpmn:script>process.exit(1)</bpmn:script></bpmn:scriptTask>'), 'run', /Script tasks run code/],
  ['a JavaScript condition', bpmn('p', `<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="g" /><bpmn:exclusiveGateway id="g" default="fb" />
    <bpmn:sequenceFlow id="fa" sourceRef="g" targetRef="e"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="javascript">next(null, true)</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="fb" sourceRef="g" targetRef="e" /><bpmn:endEvent id="e" />`), 'fa', /script language/],
  ['an inclusive-gateway join', bpmn('p', `<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="split" /><bpmn:parallelGateway id="split" />
    <bpmn:sequenceFlow id="f2" sourceRef="split" targetRef="join" /><bpmn:sequenceFlow id="f3" sourceRef="split" targetRef="join" /><bpmn:inclusiveGateway id="join" />
    <bpmn:sequenceFlow id="f4" sourceRef="join" targetRef="e" /><bpmn:endEvent id="e" />`), 'join', /inclusive gateway that joins/],
  ['a user task with no performer', bpmn('p', '<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t" /><bpmn:userTask id="t" name="Nobody" />'), 't', /needs a performer/],
  ['an expression that does not parse', bpmn('p', `<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="g" /><bpmn:exclusiveGateway id="g" default="fb" />
    <bpmn:sequenceFlow id="fa" sourceRef="g" targetRef="e"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${outcome == }</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="fb" sourceRef="g" targetRef="e" /><bpmn:endEvent id="e" />`), 'fa', /does not parse/],
  ['a service task with an unknown implementation', bpmn('p', '<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="svc" /><bpmn:serviceTask id="svc" camunda:class="com.example.Evil" />'), 'svc', /known topic/],
];

describe('deploying BPMN', () => {
  let designer: Session;
  let clerk: Session;
  before(async () => {
    designer = await login('designer');
    clerk = await login('clerk');
  });

  it('ships the three processes, deployed for the ministry and inherited by its offices', async () => {
    const res = await api().get('/api/workflow/definitions').set(clerk.auth);
    expect(res.status).to.equal(200);
    const keys = res.body.items.map((d: { key: string }) => d.key);
    expect(keys).to.include.members(['incoming_letter', 'outgoing_letter', 'circular_letter']);
    expect(res.body.items.find((d: { key: string }) => d.key === 'incoming_letter').inherited).to.equal(true);
  });

  it('versions deployments: n+1 per key; running instances stay on the version they started with', async () => {
    const key = `versioned_${Date.now()}`;
    const v1 = await deployXml(designer, threeStepXml(key));
    expect(v1.version).to.equal(1);
    const started = await startInstance(clerk, key);
    const v2 = await deployXml(designer, threeStepXml(key).replace('name="Step B"', 'name="Step B, revised"'));
    expect(v2.version).to.equal(2);
    const list = await api().get('/api/workflow/definitions').set(designer.auth);
    const entry = list.body.items.find((d: { key: string }) => d.key === key);
    expect(entry.versions.map((v: { version: number; isActive: boolean }) => [v.version, v.isActive])).to.deep.equal([[2, true], [1, false]]);

    // The old instance continues on version 1.
    const a = (await inbox(clerk, { processKey: key })).items.find((t) => t.instanceId === started.instance.id)!;
    const done = await complete(clerk, a.id);
    expect(done.next[0].name).to.equal('Step B');
    // A new instance uses version 2.
    const second = await startInstance(clerk, key);
    expect((await ProcessInstance.findByPk(second.instance.id))!.definitionId).to.equal(v2.id);

    const xml = await api().get(`/api/workflow/definitions/${key}/versions/1/xml`).set(designer.auth);
    expect(xml.status).to.equal(200);
    expect(xml.headers['content-type']).to.match(/xml/);
    expect(xml.text).to.include('name="Step B"');

    const back = await api().post(`/api/workflow/definitions/${key}/versions/1/activate`).set(designer.auth);
    expect(back.status).to.equal(200);
    const third = await startInstance(clerk, key);
    expect((await ProcessInstance.findByPk(third.instance.id))!.definitionId).to.equal(v1.id);
  });

  it('lets only process designers and administrators deploy', async () => {
    const res = await api().post('/api/workflow/definitions').set(clerk.auth).send({ xml: threeStepXml('by_clerk') });
    expect(res.status).to.equal(403);
  });

  for (const [what, xml, elementId, message] of cases) {
    it(`refuses ${what} with 422 naming the element, and stores nothing`, async () => {
      const before = await ProcessDefinition.count();
      const res = await api().post('/api/workflow/definitions').set(designer.auth).send({ xml });
      expect(res.status, JSON.stringify(res.body)).to.equal(422);
      expect(res.body.error.code).to.equal('invalid_bpmn');
      const problem = res.body.error.details.find((d: { elementId: string | null }) => d.elementId === elementId);
      expect(problem, JSON.stringify(res.body.error.details)).to.not.equal(undefined);
      expect(problem.message).to.match(message);
      expect(await ProcessDefinition.count()).to.equal(before);
      const validated = await api().post('/api/workflow/definitions/validate').set(designer.auth).send({ xml });
      expect(validated.status).to.equal(422);
    });
  }

  it('validates without deploying', async () => {
    const before = await ProcessDefinition.count();
    const res = await api().post('/api/workflow/definitions/validate').set(designer.auth).send({ xml: threeStepXml('only_checked') });
    expect(res.body).to.deep.equal({ valid: true, key: 'only_checked', name: null, warnings: [] });
    expect(await ProcessDefinition.count()).to.equal(before);
  });
});
