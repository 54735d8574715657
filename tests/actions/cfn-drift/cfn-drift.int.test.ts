import { runActionBundle } from '../../../local-pipeline/workflows/action-runner';
import { emulatorEnvironment } from '../../../local-pipeline/emulator/clients';
import {
  HAND_CHANGES,
  changeBehindTheStacksBack,
} from '../../../local-pipeline/drift/behind-the-back';
import { STACK_NAME, deployedStack, emulator, useEmulator } from '../cfn-deploy/emulator';
import { motoEndpoint } from '../../support/emulator';

useEmulator();

const driftCheck = (inputs: Record<string, string> = {}) =>
  runActionBundle(
    'cfn-drift',
    { 'stack-name': STACK_NAME, ...inputs },
    { workspace: emulator.workspace, env: emulatorEnvironment(emulator.proxy.endpoint) },
  );

describe('cfn-drift, run as the runner runs it, against the emulator', () => {
  it('reports a freshly deployed stack IN_SYNC, listing the types it cannot check', async () => {
    // Prepare
    await deployedStack();

    // Act
    const result = await driftCheck();

    // Assess
    expect(result.failure).toBeUndefined();
    expect(result.outputs.status).toBe('IN_SYNC');
    expect(result.outputs['drifted-count']).toBe('0');
    const report = JSON.parse(result.outputs.report ?? '[]') as {
      logicalId: string;
      status: string;
    }[];
    expect(report).toContainEqual(
      expect.objectContaining({ logicalId: 'ReadingStream', status: 'IN_SYNC' }),
    );
    expect(report).toContainEqual(
      expect.objectContaining({ logicalId: 'Vpc', status: 'NOT_CHECKED' }),
    );
    expect(result.summary).toContain(`## ✅ Drift of ${STACK_NAME}: IN_SYNC`);
    expect(report.filter((r) => r.status === 'IN_SYNC').map((r) => r.logicalId)).toEqual([
      'AnomalyTable',
      'ArtifactBucket',
      'DetectorFunction',
      'FailedBatchBucket',
      'ReadingStream',
    ]);
    expect(report.filter((r) => !r.logicalId)).toEqual([]);
    expect(emulator.proxy.requests.map((r) => r.operation)).toContain('DetectStackDrift');
  });

  it('names the stream retention and function timeout changed by hand, with expected and actual values', async () => {
    await deployedStack();
    await changeBehindTheStacksBack(motoEndpoint(), HAND_CHANGES);

    const result = await driftCheck({ 'fail-on-drift': 'true' });

    expect(result.exitCode).toBe(1);
    expect(result.failure).toBe(
      `Stack ${STACK_NAME} has drifted: 2 resource(s) changed outside CloudFormation (fail-on-drift: true); see the job summary.`,
    );
    expect(result.outputs.status).toBe('DRIFTED');
    expect(result.outputs['drifted-count']).toBe('2');
    expect(result.summary).toContain(
      '| ReadingStream | AWS::Kinesis::Stream | MODIFIED | `/RetentionPeriodHours` | `168` → `240` | NOT_EQUAL |',
    );
    expect(result.summary).toContain(
      '| DetectorFunction | AWS::Lambda::Function | MODIFIED | `/Timeout` | `60` → `120` | NOT_EQUAL |',
    );
    expect(result.annotations.map((a) => a.message)).toEqual([
      'DetectorFunction (AWS::Lambda::Function) is MODIFIED: /Timeout: 60 → 120 (NOT_EQUAL)',
      'ReadingStream (AWS::Kinesis::Stream) is MODIFIED: /RetentionPeriodHours: 168 → 240 (NOT_EQUAL)',
    ]);
  });

  it('fails naming the stack when it does not exist, starting no detection', async () => {
    const result = await driftCheck({ 'stack-name': 'no-such-stack' });

    expect(result.exitCode).toBe(1);
    expect(result.failure).toBe('Stack no-such-stack does not exist: there is nothing to check.');
    expect(emulator.proxy.requests.map((r) => r.operation)).not.toContain('DetectStackDrift');
  });
});
