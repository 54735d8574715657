import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Change,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { ConfigurationError, StateError } from '../../actions/shared/errors';
import { deployStack, type StackRun } from '../../bootstrap/src/stack';

// The bootstrap stack's states that moto does not reach (failed, stuck, rolled back), on a
// mocked CloudFormation that keeps one stack: DeleteStack removes it.
const cfn = mockClient(CloudFormationClient);
const NAME = 'anomaly-detection-qa-bootstrap';
const START = 1_000_000;
const ADD: Change = {
  ResourceChange: {
    Action: 'Add',
    LogicalResourceId: 'DeployRole',
    ResourceType: 'AWS::IAM::Role',
  },
};

let current: Stack | undefined;
let log: string[];
let now: number;

const stack = (status: string, extra: Partial<Stack> = {}): Stack => ({
  StackName: NAME,
  StackStatus: status as Stack['StackStatus'],
  CreationTime: new Date(0),
  ...extra,
});

function cloudFormation(options: {
  stack?: Stack;
  plan?: { Status: string; StatusReason?: string; Changes?: Change[] };
  after?: Stack[];
  events?: StackEvent[];
}): void {
  current = options.stack;
  const after = [...(options.after ?? [])];
  cfn.on(DescribeStacksCommand).callsFake(() => {
    if (!current)
      throw Object.assign(new Error(`Stack ${NAME} does not exist`), {
        name: 'ValidationError',
      });
    return { Stacks: [current] };
  });
  cfn.on(DeleteStackCommand).callsFake(() => ((current = undefined), {}));
  cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs-1' });
  cfn.on(DescribeChangeSetCommand).resolves({
    ChangeSetId: 'cs-1',
    ChangeSetName: 'bootstrap-x',
    Status: 'CREATE_COMPLETE',
    Changes: [ADD],
    ...options.plan,
  } as never);
  cfn.on(ExecuteChangeSetCommand).callsFake(() => ((current = after.shift() ?? current), {}));
  cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: options.events ?? [] });
}

function stackRun(overrides: Partial<StackRun> = {}): StackRun {
  return {
    clients: {
      cloudformation: new CloudFormationClient({ region: 'us-east-1' }),
      iam: new IAMClient({ region: 'us-east-1' }),
      sts: new STSClient({ region: 'us-east-1' }),
    },
    log: (line) => log.push(line),
    clock: { now: () => now, sleep: (ms) => ((now += ms), Promise.resolve()) },
    deadline: START + 60_000,
    stackName: NAME,
    template: '{"Resources": {}}',
    parameters: () => Promise.resolve([{ ParameterKey: 'EnvironmentName', ParameterValue: 'qa' }]),
    dryRun: false,
    approve: () => Promise.resolve(true),
    ...overrides,
  };
}

beforeEach(() => {
  cfn.reset();
  log = [];
  now = START;
});

describe('npm run bootstrap: the bootstrap stack', () => {
  it('creates the change set with the template, the parameters and named IAM', async () => {
    // Prepare
    cloudFormation({ after: [stack('CREATE_COMPLETE')] });

    // Act
    await deployStack(stackRun());

    // Assess
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input).toEqual({
      StackName: NAME,
      ChangeSetName: `bootstrap-${START.toString(36)}`,
      ChangeSetType: 'CREATE',
      TemplateBody: '{"Resources": {}}',
      Parameters: [{ ParameterKey: 'EnvironmentName', ParameterValue: 'qa' }],
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Description: 'npm run bootstrap',
    });
    expect(cfn.commandCalls(ExecuteChangeSetCommand)[0]?.args[0].input).toEqual({
      ChangeSetName: 'cs-1',
      StackName: NAME,
      ClientRequestToken: `bootstrap-${START.toString(36)}`,
    });
  });

  it('refuses a stack left failed, naming its status and reason, and changes nothing', async () => {
    // Prepare
    cloudFormation({ stack: stack('UPDATE_ROLLBACK_FAILED', { StackStatusReason: 'Role busy' }) });

    // Act
    const deploy = deployStack(stackRun());

    // Assess
    await expect(deploy).rejects.toThrow(
      new StateError(
        `Stack ${NAME} is UPDATE_ROLLBACK_FAILED: fix the resources named in its events (Role busy), then run again.`,
      ),
    );
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });

  it('points to the console when a failed stack gives no reason', async () => {
    // Prepare
    cloudFormation({ stack: stack('DELETE_FAILED') });

    // Act
    const deploy = deployStack(stackRun());

    // Assess
    await expect(deploy).rejects.toThrow(
      `Stack ${NAME} is DELETE_FAILED: fix the resources named in its events (see the CloudFormation console), then run again.`,
    );
  });

  it('only says, in a dry run, that a rolled-back stack would be created again', async () => {
    // Prepare
    cloudFormation({ stack: stack('ROLLBACK_COMPLETE') });

    // Act
    const result = await deployStack(stackRun({ dryRun: true }));

    // Assess
    expect(result).toEqual({ changed: false, outputs: {} });
    expect(log).toEqual([
      `Stack ${NAME} is ROLLBACK_COMPLETE (its creation failed and rolled back; it holds no resources): a run without --dry-run deletes it and creates it again.`,
    ]);
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
    expect(current).toBeDefined();
  });

  it('deletes a rolled-back stack first, then creates it', async () => {
    // Prepare
    cloudFormation({ stack: stack('ROLLBACK_COMPLETE'), after: [stack('CREATE_COMPLETE')] });

    // Act
    await deployStack(stackRun());

    // Assess
    expect(log[0]).toBe(
      `Stack ${NAME} is ROLLBACK_COMPLETE (its creation failed and rolled back; it holds no resources): deleting it first.`,
    );
    expect(cfn.commandCalls(DeleteStackCommand)[0]?.args[0].input).toEqual({ StackName: NAME });
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input.ChangeSetType).toBe('CREATE');
  });

  it('reports a plan CloudFormation refuses, and deletes what it created for it', async () => {
    // Prepare
    cloudFormation({ plan: { Status: 'FAILED', StatusReason: 'Template format error' } });

    // Act
    const deploy = deployStack(stackRun());

    // Assess
    await expect(deploy).rejects.toThrow(
      new StateError(`CloudFormation could not plan stack ${NAME}: Template format error`),
    );
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(1);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
  });

  it('keeps an existing stack when its update is declined: only the change set goes', async () => {
    // Prepare
    cloudFormation({ stack: stack('UPDATE_COMPLETE') });
    const questions: string[] = [];

    // Act
    const deploy = deployStack(
      stackRun({ approve: (question) => (questions.push(question), Promise.resolve(false)) }),
    );

    // Assess
    await expect(deploy).rejects.toThrow(
      new StateError('Not executed: you declined (the change set was deleted; nothing changed).'),
    );
    expect(questions).toEqual([`Execute this change set on stack ${NAME}? [y/N] `]);
    expect(log[0]).toMatch(/^Plan for stack .* \(update\)/);
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('asks for --yes when there is no terminal to ask on', async () => {
    // Prepare
    cloudFormation({});

    // Act
    const deploy = deployStack(stackRun({ approve: () => Promise.resolve(undefined) }));

    // Assess
    await expect(deploy).rejects.toThrow(ConfigurationError);
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    expect(cfn.commandCalls(DeleteStackCommand)[0]?.args[0].input).toEqual({ StackName: NAME });
  });

  it('stops at the deadline while CloudFormation goes on', async () => {
    // Prepare
    cloudFormation({ after: [stack('CREATE_IN_PROGRESS')] });

    // Act
    const deploy = deployStack(stackRun({ deadline: START + 12_000 }));

    // Assess
    await expect(deploy).rejects.toThrow(
      new StateError(
        `Stack ${NAME} is still CREATE_IN_PROGRESS at the timeout; CloudFormation goes on: run again once it has settled. Nothing was written to GitHub.`,
      ),
    );
    expect(now).toBeGreaterThanOrEqual(START + 12_000);
  });

  it('lists the failed resources of a rolled-back creation', async () => {
    // Prepare
    const event = (id: string, resource: string, status: string, reason?: string): StackEvent => ({
      EventId: id,
      StackId: 'arn:stack',
      StackName: NAME,
      LogicalResourceId: resource,
      ResourceType: 'AWS::IAM::Role',
      ResourceStatus: status as StackEvent['ResourceStatus'],
      ResourceStatusReason: reason,
      ClientRequestToken: `bootstrap-${START.toString(36)}`,
      Timestamp: new Date(START + 3000),
    });
    cloudFormation({
      after: [stack('ROLLBACK_COMPLETE')],
      events: [
        event('2', 'PreviewRole', 'CREATE_FAILED', 'Resource creation cancelled'),
        event('1', 'DeployRole', 'CREATE_FAILED', 'Role already exists'),
      ],
    });

    // Act
    const deploy = deployStack(stackRun());

    // Assess
    await expect(deploy).rejects.toThrow(
      new StateError(
        `Stack ${NAME} failed and was rolled back (ROLLBACK_COMPLETE); 2 resource(s) failed (listed above). Nothing was written to GitHub.`,
      ),
    );
    expect(log).toContain('+3s      DeployRole AWS::IAM::Role CREATE_FAILED - Role already exists');
    expect(log).toContain('error: DeployRole (AWS::IAM::Role) CREATE_FAILED: Role already exists');
  });

  it('says the stack is gone when it vanished during the creation', async () => {
    // Prepare
    cloudFormation({});
    cfn.on(ExecuteChangeSetCommand).callsFake(() => ((current = undefined), {}));

    // Act
    const deploy = deployStack(stackRun());

    // Assess
    await expect(deploy).rejects.toThrow(
      'failed and was rolled back (DELETE_COMPLETE); 0 resource',
    );
  });
});
