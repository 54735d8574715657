import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListChangeSetsCommand,
} from '@aws-sdk/client-cloudformation';
import { runActionBundle } from '../../../local-pipeline/action-runner';
import { emulatorEnvironment, testClientConfig } from '../../../local-pipeline/clients';
import { motoEndpoint } from '../../support/emulator';
import { isMutating, startFaultProxy, type FaultProxy } from '../../../local-pipeline/fault-proxy';
import { repoRoot } from '../../../local-pipeline/tools';

let proxy: FaultProxy;
let workspace: string;
const stackName = 'anomaly-detection';
const realTemplate = readFileSync(
  join(repoRoot, 'cloudformation', 'anomaly-detection.json'),
  'utf8',
);

function deploy(inputs: Record<string, string> = {}) {
  return runActionBundle(
    'cfn-deploy',
    { 'stack-name': stackName, template: 'cloudformation/anomaly-detection.json', ...inputs },
    { workspace, env: emulatorEnvironment(proxy.endpoint) },
  );
}

beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint());
  workspace = mkdtempSync(join(tmpdir(), 'cfn-deploy-'));
  mkdirSync(join(workspace, 'cloudformation'));
  writeFileSync(join(workspace, 'cloudformation', 'anomaly-detection.json'), realTemplate);
});

afterAll(async () => {
  await proxy.stop();
  rmSync(workspace, { recursive: true, force: true });
});

beforeEach(() => {
  proxy.clearLog();
});

describe('cfn-deploy, run as the runner runs it, against the emulator', () => {
  it('rejects an unknown parameter before any AWS call', async () => {
    const result = await deploy({ 'parameter-overrides': 'NoSuchParameter=1' });
    expect(result.exitCode).toBe(1);
    expect(result.failure).toMatch(
      /^Input "parameter-overrides": NoSuchParameter is not a parameter of cloudformation\/anomaly-detection.json/,
    );
    expect(proxy.requests).toEqual([]);
  });

  it('creates the stack through a change set and turns every stack output into a step output', async () => {
    const result = await deploy({
      'parameter-overrides': 'LogRetentionDays=14\nAlertEmail=',
      tags: 'team=health',
    });
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
    expect(proxy.count('CreateChangeSet')).toBe(1);
    expect(proxy.count('ExecuteChangeSet')).toBe(1);
    expect(result.summary).toContain(`## ✅ Stack ${stackName}: CREATE_COMPLETE`);
    const { Stacks = [] } = await new CloudFormationClient(testClientConfig(motoEndpoint())).send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    expect(Stacks[0]?.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'team', Value: 'health' },
        { Key: 'github:sha', Value: '0123456789abcdef0123456789abcdef01234567' },
      ]),
    );
  });

  it('makes no mutating request when run again with nothing changed, and says so', async () => {
    const result = await deploy({
      'parameter-overrides': 'LogRetentionDays=14\nAlertEmail=',
      tags: 'team=health',
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      changed: 'false',
      status: 'CREATE_COMPLETE',
      FunctionName: 'm03p02_anomaly_detector',
    });
    expect(proxy.requests.filter(isMutating)).toEqual([]);
    expect(result.summary).toContain('unchanged');
    expect(result.summary).toContain('No change set was executed');
  });

  it('previews a change with execute: false, changing nothing and leaving no change set', async () => {
    const result = await deploy({
      'parameter-overrides': 'LogRetentionDays=30',
      tags: 'team=health',
      execute: 'false',
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ changed: 'true', status: 'PREVIEW' });
    expect(result.outputs['change-set']).toContain('Preview of the change set');
    expect(proxy.count('ExecuteChangeSet')).toBe(0);
    const client = new CloudFormationClient(testClientConfig(motoEndpoint()));
    const { Summaries = [] } = await client.send(
      new ListChangeSetsCommand({ StackName: stackName }),
    );
    expect(Summaries.filter((summary) => summary.ExecutionStatus === 'AVAILABLE')).toEqual([]);
  });

  it('updates the stack when the template changes', async () => {
    const changed = JSON.parse(realTemplate) as { Outputs: Record<string, unknown> };
    changed.Outputs.Region = { Description: 'Region of the stack', Value: { Ref: 'AWS::Region' } };
    writeFileSync(
      join(workspace, 'cloudformation', 'anomaly-detection.json'),
      JSON.stringify(changed, null, 2),
    );
    const result = await deploy({
      'parameter-overrides': 'LogRetentionDays=14\nAlertEmail=',
      tags: 'team=health',
    });
    expect(result.failure).toBeUndefined();
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      changed: 'true',
      status: 'UPDATE_COMPLETE',
      Region: 'us-east-1',
    });
    expect(proxy.count('ExecuteChangeSet')).toBe(1);
  });
});
