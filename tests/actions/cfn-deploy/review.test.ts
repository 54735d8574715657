import {
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListChangeSetsCommand,
} from '@aws-sdk/client-cloudformation';
import { run } from '../../../actions/cfn-deploy/src/main';
import { STACK_ID, TEMPLATE, cfn, deps, stack, useCfnDeployFixtures } from './fixtures';

useCfnDeployFixtures();

const REVIEWED =
  'arn:aws:cloudformation:us-east-1:123456789012:changeSet/gh-reviewed/11111111-2222-3333-4444-555555555555';
const NEWER =
  'arn:aws:cloudformation:us-east-1:123456789012:changeSet/gh-newer/66666666-2222-3333-4444-555555555555';

function arrangeReviewed(options: { latest?: string; template?: string; stackId?: string } = {}) {
  cfn
    .on(DescribeStacksCommand)
    .resolvesOnce({ Stacks: [stack('UPDATE_COMPLETE')] })
    .resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
  cfn.on(DescribeChangeSetCommand).resolves({
    ChangeSetId: REVIEWED,
    ChangeSetName: 'gh-reviewed',
    StackId: options.stackId ?? STACK_ID,
    Status: 'CREATE_COMPLETE',
    ExecutionStatus: 'AVAILABLE',
    Changes: [],
  });
  cfn.on(ListChangeSetsCommand).resolves({
    Summaries: [
      { ChangeSetId: REVIEWED, ChangeSetName: 'gh-reviewed', CreationTime: new Date(1000) },
      ...(options.latest
        ? [{ ChangeSetId: options.latest, ChangeSetName: 'gh-newer', CreationTime: new Date(2000) }]
        : []),
    ],
  });
  cfn
    .on(GetTemplateCommand, { ChangeSetName: REVIEWED })
    .resolves({ TemplateBody: options.template ?? TEMPLATE });
}

describe('cfn-deploy create-only and execute-change-set-id (the reviewed-change-set flow)', () => {
  it('creates the change set for review, outputs its id and name, and executes nothing', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    const { io, value } = deps({ 'create-only': 'true' });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.outputs).toMatchObject({
      'change-set-id': 'cs-1',
      'change-set-name': 'gh-abcdef123456-lfls',
      status: 'CHANGE_SET_CREATED',
      changed: 'true',
    });
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toEqual([]);
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toEqual([]);
  });

  it('executes exactly the reviewed change set when it is the latest and holds this template', async () => {
    arrangeReviewed();
    const { io, value } = deps({ 'execute-change-set-id': REVIEWED });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)[0]?.args[0].input).toMatchObject({
      ChangeSetName: REVIEWED,
      StackName: 'app',
    });
    expect(io.outputs).toMatchObject({ changed: 'true', status: 'UPDATE_COMPLETE' });
  });

  it('refuses a change set that a newer one has superseded', async () => {
    arrangeReviewed({ latest: NEWER });
    const { io, value } = deps({ 'execute-change-set-id': REVIEWED });
    await run(value);
    expect(io.failures).toEqual([
      'Change set gh-reviewed is not the latest of stack app (gh-newer is newer): review that one, or create a new one. Nothing was executed.',
    ]);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toEqual([]);
  });

  it('refuses a change set made from another template than this run holds', async () => {
    arrangeReviewed({ template: '{"Resources":{"Other":{"Type":"AWS::SNS::Topic"}}}' });
    const { io, value } = deps({ 'execute-change-set-id': REVIEWED });
    await run(value);
    expect(io.failures[0]).toMatch(
      /^Change set gh-reviewed was made from a template other than template.json/,
    );
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toEqual([]);
  });

  it('refuses a change set of another stack', async () => {
    arrangeReviewed({ stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/other/2' });
    const { io, value } = deps({ 'execute-change-set-id': REVIEWED });
    await run(value);
    expect(io.failures).toEqual([
      `Input "execute-change-set-id": ${REVIEWED} is not a change set of stack app.`,
    ]);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toEqual([]);
  });
});
