// Every expression the runtime will evaluate is checked at deploy, by the same rules the runtime
// applies when it evaluates one: variables, member access on them, literals, operators and the
// registered functions; no method calls, no way to `constructor`, `process` or `require`.
import { expect } from 'chai';
import { api, login, Session } from '../helpers/factories';
import { bpmn } from '../helpers/workflow';
import { ProcessDefinition } from '../../server/db/models';
import { engineExpressions, resolveTemplate } from '../../server/modules/workflow/expressions';

const flows = (condition: string) => `<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="g" /><bpmn:exclusiveGateway id="g" default="fb" />
  <bpmn:sequenceFlow id="fa" sourceRef="g" targetRef="e"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>
  <bpmn:sequenceFlow id="fb" sourceRef="g" targetRef="e" /><bpmn:endEvent id="e" />`;
const task = (attrs: string, inner = '') => `<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t" />
  <bpmn:userTask id="t" name="พิจารณา" camunda:candidateGroups="staff" ${attrs}>${inner}</bpmn:userTask>
  <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e" /><bpmn:endEvent id="e" />`;

// [what, process body, extra root elements, element the 422 must name, message]
const refused: Array<[string, string, string, string, RegExp]> = [
  ['a condition with a method call', flows("${process.mainModule.require('fs')}"), '', 'fa', /method calls/],
  ['an assignee reaching process.mainModule', task('camunda:assignee="${process.mainModule}"'), '', 't', /"mainModule" is not a variable/],
  ['an assignee with a method call', task('camunda:assignee="${process.mainModule.require(&#x27;fs&#x27;)}"'), '', 't', /method calls/],
  ['a task name reaching constructor', task('').replace('name="พิจารณา"', 'name="พิจารณา ${document[&#x27;constructor&#x27;][&#x27;constructor&#x27;]}"'), '', 't', /"constructor" is not a variable/],
  ['a due date with a method call', task('camunda:dueDate="${document.deadline.toISOString()}"'), '', 't', /method calls/],
  ['a follow-up date reaching __proto__', task('camunda:followUpDate="${document[&#x27;__proto__&#x27;]}"'), '', 't', /"__proto__" is not a variable/],
  ['a priority calling an unknown function', task('camunda:priority="${require(&#x27;fs&#x27;)}"'), '', 't', /require\(\) is not a function/],
  ['candidate groups reaching process.env', task('').replace('camunda:candidateGroups="staff"', 'camunda:candidateGroups="${&#x27;group:&#x27; + process.env.SECRET}"'), '', 't', /"process" is not a variable/],
  ['candidate users reaching constructor', task('camunda:candidateUsers="${_initiator[&#x27;constructor&#x27;]}"'), '', 't', /"constructor" is not a variable/],
  ['candidate groups with a computed key', task('').replace('camunda:candidateGroups="staff"', 'camunda:candidateGroups="${groups[key]}"'), '', 't', /not computed/],
  ['a multi-instance collection with a method call', task('', '<bpmn:multiInstanceLoopCharacteristics camunda:collection="${Object.keys(units)}" camunda:elementVariable="u" />'), '', 't', /method calls/],
  ['a completion condition reaching prototype', task('', '<bpmn:multiInstanceLoopCharacteristics camunda:collection="${units}" camunda:elementVariable="u"><bpmn:completionCondition xsi:type="bpmn:tFormalExpression">${units.prototype}</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics>'), '', 't', /"prototype" is not a variable/],
  ['a timer reaching constructor', `<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="wait" />
    <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">\${due['constructor']}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="e" /><bpmn:endEvent id="e" />`, '', 'wait', /"constructor" is not a variable/],
  ['a service-task input reaching globalThis', `<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="svc" />
    <bpmn:serviceTask id="svc" camunda:type="external" camunda:topic="set-variables"><bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="x">\${globalThis}</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="svc" targetRef="e" /><bpmn:endEvent id="e" />`, '', 'svc', /"globalThis" is not a variable/],
  ['a message name with a method call', `<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="wait" />
    <bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="reply" /></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="e" /><bpmn:endEvent id="e" />`, '<bpmn:message id="reply" name="${name.concat(&#x27;x&#x27;)}" />', 'reply', /method calls/],
];

describe('deploying BPMN: expressions', () => {
  let designer: Session;
  before(async () => {
    designer = await login('designer');
  });

  for (const [what, body, extra, elementId, message] of refused) {
    it(`refuses ${what} with 422 naming the element, at deploy and at validate`, async () => {
      const xml = bpmn(`expr_${elementId}`, body, extra);
      const before = await ProcessDefinition.count();
      for (const path of ['/api/workflow/definitions', '/api/workflow/definitions/validate']) {
        const res = await api().post(path).set(designer.auth).send({ xml });
        expect(res.status, JSON.stringify(res.body)).to.equal(422);
        expect(res.body.error.code).to.equal('invalid_bpmn');
        const problem = res.body.error.details.find((d: { elementId: string | null }) => d.elementId === elementId);
        expect(problem, JSON.stringify(res.body.error.details)).to.not.equal(undefined);
        expect(problem.message).to.match(message);
      }
      expect(await ProcessDefinition.count()).to.equal(before);
    });
  }

  it('deploys harmless expressions: ${approved}, ${outcome == \'approve\'}, ${document.urgency >= 3}, ${initiator}, filters and size()', async () => {
    const xml = bpmn(`harmless_${Date.now()}`, `<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="g" /><bpmn:exclusiveGateway id="g" default="fc" />
      <bpmn:sequenceFlow id="fa" sourceRef="g" targetRef="t"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${approved}</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="fb" sourceRef="g" targetRef="t"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${outcome == 'approve' &amp;&amp; size(units) &gt; 0}</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="fc" sourceRef="g" targetRef="t" />
      <bpmn:userTask id="t" name="พิจารณา \${document.subject}" camunda:assignee="\${initiator}" camunda:dueDate="\${document.urgency &gt;= 3 ? 'PT8H' : 'P3D'}" camunda:priority="\${document.urgency * 20}">
        <bpmn:multiInstanceLoopCharacteristics camunda:collection="\${reviewers[.active == true]}" camunda:elementVariable="r" /></bpmn:userTask>
      <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e" /><bpmn:endEvent id="e" />`);
    const res = await api().post('/api/workflow/definitions').set(designer.auth).send({ xml });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
  });

  it('refuses the same expressions at run time, whatever version is deployed (one set of rules)', () => {
    const scope = { document: { subject: 'เรื่อง', urgency: 3 }, a: {} };
    expect(resolveTemplate('${document.urgency >= 3}', scope)).to.equal(true);
    expect(resolveTemplate('เรื่อง: ${document.subject}', scope)).to.equal('เรื่อง: เรื่อง');
    expect(resolveTemplate('เรื่อง: ${subject}', { subject: 'ราคา $& บาท $1' }), 'a value is text, not a replacement pattern').to.equal('เรื่อง: ราคา $& บาท $1');
    expect(() => resolveTemplate("${a['constructor']}", scope)).to.throw(/"constructor" is not a variable/);
    expect(() => resolveTemplate("${a['constructor']['constructor']}", scope)).to.throw(/"constructor" is not a variable/);
    expect(() => engineExpressions.resolveExpression("${environment['constructor']}", { environment: { variables: {} } })).to.throw(/"constructor" is not a variable/);
    expect(() => engineExpressions.resolveExpression("${x.mainModule}", { environment: { variables: { x: {} } } })).to.throw(/"mainModule" is not a variable/);
  });
});
