import { DescribeStacksCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
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

/** The real template with one more output: a change to review. */
const withRegionOutput = () => {
  const changed = JSON.parse(realTemplate) as { Outputs: Record<string, unknown> };
  changed.Outputs.Region = { Value: { Ref: 'AWS::Region' } };
  return JSON.stringify(changed, null, 2);
};

const retentionDays = async () => {
  const { Stacks = [] } = await cloudformation().send(
    new DescribeStacksCommand({ StackName: STACK_NAME }),
  );
  return Stacks[0]?.Parameters?.find((p) => p.ParameterKey === 'LogRetentionDays')?.ParameterValue;
};

describe('cfn-deploy against the emulator: reviewed change sets, large templates, throttling, inputs', () => {
  it('create-only leaves a change set for review; execute-change-set-id then executes exactly it', async () => {
    // Prepare
    await deployedStack();

    // Act
    const created = await deploy({
      'parameter-overrides': 'LogRetentionDays=30',
      'create-only': 'true',
    });
    const untouched = await retentionDays();
    const executed = await deploy({
      'execute-change-set-id': created.outputs['change-set-id'] ?? '',
    });

    // Assess
    expect(created.exitCode).toBe(0);
    expect(created.outputs).toMatchObject({ status: 'CHANGE_SET_CREATED', changed: 'true' });
    expect(created.outputs['change-set-id']).toMatch(
      /^arn:aws:cloudformation:us-east-1:\d{12}:changeSet\/gh-/,
    );
    expect(created.outputs['change-set-name']).toMatch(/^gh-0123456789ab-/);
    expect(untouched).toBe('14');
    expect(executed.failure).toBeUndefined();
    expect(executed.outputs).toMatchObject({ changed: 'true', status: 'UPDATE_COMPLETE' });
    expect(await retentionDays()).toBe('30');
  });

  it('create-only then execute-change-set-id creates a new stack, the first deploy behind an approval', async () => {
    const created = await deploy({ 'parameter-overrides': PARAMETERS, 'create-only': 'true' });
    const executed = await deploy({
      'execute-change-set-id': created.outputs['change-set-id'] ?? '',
    });
    expect(created.outputs).toMatchObject({ status: 'CHANGE_SET_CREATED', changed: 'true' });
    expect(executed.failure).toBeUndefined();
    expect(executed.outputs).toMatchObject({
      changed: 'true',
      status: 'CREATE_COMPLETE',
      FunctionName: 'm03p02_anomaly_detector',
    });
  });

  it('refuses to execute a reviewed change set made from another template, executing nothing', async () => {
    // Prepare: the change set adds an output; this run's checkout holds the deployed template.
    await deployedStack();
    writeWorkspaceFile(TEMPLATE_PATH, withRegionOutput());
    const created = await deploy({ 'parameter-overrides': PARAMETERS, 'create-only': 'true' });
    writeWorkspaceFile(TEMPLATE_PATH, realTemplate);
    emulator.proxy.clearLog();

    // Act
    const refused = await deploy({
      'execute-change-set-id': created.outputs['change-set-id'] ?? '',
    });

    // Assess
    expect(created.outputs.status).toBe('CHANGE_SET_CREATED');
    expect(refused.exitCode).toBe(1);
    expect(refused.failure).toMatch(
      /was made from a template other than cloudformation\/anomaly-detection.json/,
    );
    expect(emulator.proxy.requests.filter(isMutating)).toEqual([]);
  });

  it('refuses a reviewed change set that a newer one superseded', async () => {
    await deployedStack();
    const first = await deploy({
      'parameter-overrides': 'LogRetentionDays=30',
      'create-only': 'true',
    });
    await deploy({ 'parameter-overrides': 'LogRetentionDays=60', 'create-only': 'true' });
    const refused = await deploy({ 'execute-change-set-id': first.outputs['change-set-id'] ?? '' });
    expect(refused.exitCode).toBe(1);
    expect(refused.failure).toMatch(/is not the latest of stack anomaly-detection/);
    expect(await retentionDays()).toBe('14');
  });

  it('creates a stack from a template over 51,200 bytes through s3-bucket, on a first create', async () => {
    // Prepare
    const big = JSON.parse(realTemplate) as { Metadata: Record<string, unknown> };
    big.Metadata.Padding = 'x'.repeat(60_000);
    writeWorkspaceFile(TEMPLATE_PATH, JSON.stringify(big));
    const s3 = new S3Client(testClientConfig(motoEndpoint()));
    await s3.send(new CreateBucketCommand({ Bucket: 'deploy-templates' }));

    // Act
    const result = await deploy({
      'parameter-overrides': PARAMETERS,
      's3-bucket': 'deploy-templates',
      's3-prefix': 'stacks/',
    });

    // Assess
    expect(result.failure).toBeUndefined();
    expect(result.outputs.status).toBe('CREATE_COMPLETE');
    const { Contents = [] } = await s3.send(
      new ListObjectsV2Command({ Bucket: 'deploy-templates' }),
    );
    expect(Contents.map((object) => object.Key)).toEqual([
      expect.stringMatching(/^stacks\/[0-9a-f]{64}\.json$/),
    ]);
    const { TemplateBody = '' } = await cloudformation().send(
      new GetTemplateCommand({ StackName: STACK_NAME }),
    );
    expect(TemplateBody).toContain('x'.repeat(1000));
  });

  it('rides out throttling: the clients retry more than the SDK default of 3 attempts', async () => {
    emulator.proxy.inject({ operation: 'DescribeStacks', fault: 'throttle', times: 3 });
    const result = await deploy({ 'parameter-overrides': PARAMETERS });
    expect(result.failure).toBeUndefined();
    expect(result.outputs.status).toBe('CREATE_COMPLETE');
    expect(emulator.proxy.requests.filter((r) => r.fault === 'throttle')).toHaveLength(3);
  });

  it.each([
    [
      { 'parameter-overrides': 'NoSuchParameter=1' },
      /^Input "parameter-overrides": NoSuchParameter is not a parameter/,
    ],
    [{ 'role-arn': 'deploy-role' }, /^Input "role-arn": "deploy-role" is not an IAM role ARN/],
    [{ 'on-failure': 'KEEP' }, /^Input "on-failure" must be one of ROLLBACK, DELETE, DO_NOTHING/],
    [
      { 'notification-arns': 'topic' },
      /^Input "notification-arns": "topic" is not an SNS topic ARN/,
    ],
    [
      { 'execute-change-set-id': 'latest' },
      /^Input "execute-change-set-id": "latest" is not a change set ARN/,
    ],
    [{ 'create-only': 'true', execute: 'false' }, /^Inputs "create-only" and "execute"/],
    [{ 'disable-rollback': 'y' }, /^Input "disable-rollback" must be true or false/],
    [{ 'fail-on-empty-changeset': 'y' }, /^Input "fail-on-empty-changeset" must be true or false/],
    [{ 's3-bucket': 'UPPER' }, /^Input "s3-bucket": "UPPER" is not an S3 bucket name/],
    [{ 's3-prefix': '../up' }, /^Input "s3-prefix": "..\/up" is not a usable key prefix/],
  ])('rejects %j before any AWS call', async (inputs, message) => {
    const result = await deploy(inputs);
    expect(result.exitCode).toBe(1);
    expect(result.failure).toMatch(message);
    expect(emulator.proxy.requests).toEqual([]);
  });
});
