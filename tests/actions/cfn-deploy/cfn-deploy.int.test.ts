import { DescribeStacksCommand, ListChangeSetsCommand } from '@aws-sdk/client-cloudformation';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { testClientConfig } from '../../../local-pipeline/emulator/clients';
import { isMutating } from '../../../local-pipeline/emulator/fault-proxy';
import { motoEndpoint } from '../../support/emulator';
import {
  PARAMETERS,
  STACK_NAME,
  TEMPLATE_PATH,
  cloudformation,
  deploy,
  deployedStack,
  emulator,
  realTemplate,
  useEmulator,
  writeWorkspaceFile,
} from './emulator';

useEmulator();

const mutatingOperations = () =>
  emulator.proxy.requests.filter(isMutating).map((request) => request.operation);

describe('cfn-deploy, run as the runner runs it, against the emulator', () => {
  it('creates the stack through a change set as role-arn, with only the user tags, parameters from a YAML file, and every output as a step output', async () => {
    // Prepare
    const { TopicArn = '' } = await new SNSClient(testClientConfig(motoEndpoint())).send(
      new CreateTopicCommand({ Name: 'stack-events' }),
    );
    writeWorkspaceFile('params.yaml', 'LogRetentionDays: 14\nAlertEmail: ""\n');
    const role = 'arn:aws:iam::123456789012:role/anomaly-detection-cfn-exec';

    // Act
    const result = await deploy({
      'parameter-overrides': 'params.yaml',
      tags: 'team=health',
      'role-arn': role,
      'notification-arns': TopicArn,
      'on-failure': 'ROLLBACK',
    });

    // Assess
    expect(result.failure).toBeUndefined();
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      changed: 'true',
      status: 'CREATE_COMPLETE',
      FunctionName: 'm03p02_anomaly_detector',
      StreamName: 'm03p02_raw_data_stream',
    });
    expect(result.outputs['stack-id']).toMatch(/^arn:aws:cloudformation:/);
    expect(result.outputs['change-set']).toContain(
      '| Add | DetectorFunction | AWS::Lambda::Function |',
    );
    expect(mutatingOperations()).toEqual(['CreateChangeSet', 'ExecuteChangeSet']);
    expect(result.summary).toContain(`## ✅ Stack ${STACK_NAME}: CREATE_COMPLETE`);
    const { Stacks = [] } = await cloudformation().send(
      new DescribeStacksCommand({ StackName: STACK_NAME }),
    );
    expect(Stacks[0]).toMatchObject({
      Tags: [{ Key: 'team', Value: 'health' }],
      RoleARN: role,
      NotificationARNs: [TopicArn],
    });
    expect(Stacks[0]?.Parameters).toContainEqual({
      ParameterKey: 'LogRetentionDays',
      ParameterValue: '14',
    });
  });

  it('run again with nothing changed, executes nothing and leaves no change set: the template has an SSM-typed parameter, so its change set decides', async () => {
    // Prepare
    await deployedStack({ tags: 'team=health' });

    // Act
    const result = await deploy({ 'parameter-overrides': PARAMETERS, tags: 'team=health' });

    // Assess
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      changed: 'false',
      status: 'CREATE_COMPLETE',
      FunctionName: 'm03p02_anomaly_detector',
    });
    expect(mutatingOperations()).toEqual(['CreateChangeSet', 'DeleteChangeSet']);
    expect(result.summary).toContain('unchanged');
    expect(result.summary).toContain('No change set was executed');
    const { Summaries = [] } = await cloudformation().send(
      new ListChangeSetsCommand({ StackName: STACK_NAME }),
    );
    expect(Summaries.filter((summary) => summary.ExecutionStatus !== 'EXECUTE_COMPLETE')).toEqual(
      [],
    );
  });

  it('fails with fail-on-empty-changeset when there is nothing to deploy', async () => {
    await deployedStack();
    const result = await deploy({
      'parameter-overrides': PARAMETERS,
      'fail-on-empty-changeset': 'true',
    });
    expect(result.exitCode).toBe(1);
    expect(result.failure).toMatch(
      /^Stack anomaly-detection: nothing to deploy \(fail-on-empty-changeset\)\. No changes \(The submitted information didn't contain changes/,
    );
    expect(result.outputs.changed).toBe('false');
  });

  it('previews a change with execute: false, changing nothing and leaving no change set', async () => {
    // Prepare
    await deployedStack();

    // Act
    const result = await deploy({
      'parameter-overrides': 'LogRetentionDays=30',
      execute: 'false',
      'termination-protection': 'true',
    });

    // Assess
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ changed: 'true', status: 'PREVIEW' });
    expect(result.outputs['change-set']).toContain('Preview of the change set');
    expect(mutatingOperations()).toEqual(['CreateChangeSet', 'DeleteChangeSet']);
    const { Stacks = [] } = await cloudformation().send(
      new DescribeStacksCommand({ StackName: STACK_NAME }),
    );
    expect(Stacks[0]?.EnableTerminationProtection).toBeFalsy();
    expect(Stacks[0]?.Parameters).toContainEqual({
      ParameterKey: 'LogRetentionDays',
      ParameterValue: '14',
    });
  });

  it('previews a new stack from the template alone, creating nothing', async () => {
    const result = await deploy({ 'parameter-overrides': PARAMETERS, execute: 'false' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ changed: 'true', status: 'PREVIEW' });
    expect(result.outputs['change-set']).toContain(
      '| Add | DetectorFunction | AWS::Lambda::Function |',
    );
    expect(mutatingOperations()).toEqual([]);
    await expect(
      cloudformation().send(new DescribeStacksCommand({ StackName: STACK_NAME })),
    ).rejects.toThrow(/does not exist/);
  });

  it('updates the stack when the template changes', async () => {
    // Prepare
    await deployedStack();
    const changed = JSON.parse(realTemplate) as { Outputs: Record<string, unknown> };
    changed.Outputs.Region = { Description: 'Region of the stack', Value: { Ref: 'AWS::Region' } };
    writeWorkspaceFile(TEMPLATE_PATH, JSON.stringify(changed, null, 2));

    // Act
    const result = await deploy({ 'parameter-overrides': PARAMETERS, 'disable-rollback': 'true' });

    // Assess
    expect(result.failure).toBeUndefined();
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      changed: 'true',
      status: 'UPDATE_COMPLETE',
      Region: 'us-east-1',
    });
    expect(emulator.proxy.count('ExecuteChangeSet')).toBe(1);
  });
});
