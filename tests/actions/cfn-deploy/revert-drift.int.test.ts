import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { runActionBundle } from '../../../local-pipeline/workflows/action-runner';
import { emulatorEnvironment, testClientConfig } from '../../../local-pipeline/emulator/clients';
import {
  HAND_CHANGES,
  changeBehindTheStacksBack,
} from '../../../local-pipeline/drift/behind-the-back';
import { isMutating } from '../../../local-pipeline/emulator/fault-proxy';
import { motoEndpoint } from '../../support/emulator';
import { STACK_NAME, deploy, deployedStack, emulator, useEmulator } from './emulator';

useEmulator();

const driftStatus = async () => {
  const check = await runActionBundle(
    'cfn-drift',
    { 'stack-name': STACK_NAME },
    { env: emulatorEnvironment(emulator.proxy.endpoint) },
  );
  return check.outputs.status;
};

describe('cfn-deploy deployment-mode: REVERT_DRIFT, run as the runner runs it, against the emulator', () => {
  it('puts back the stream retention and function timeout changed by hand; detection then reports IN_SYNC', async () => {
    // Prepare
    await deployedStack();
    await changeBehindTheStacksBack(motoEndpoint(), HAND_CHANGES);
    emulator.proxy.clearLog();

    // Act
    const result = await deploy({ 'deployment-mode': 'REVERT_DRIFT' });

    // Assess
    expect(result.failure).toBeUndefined();
    expect(result.outputs.status).toBe('UPDATE_COMPLETE');
    expect(result.summary).toContain('| ReadingStream | `/RetentionPeriodHours` | `240` → `168` |');
    expect(result.summary).toContain('| DetectorFunction | `/Timeout` | `120` → `60` |');
    expect(emulator.proxy.requests.filter(isMutating).map((r) => r.operation)).toEqual([
      'CreateChangeSet',
      'ExecuteChangeSet',
    ]);
    const config = testClientConfig(motoEndpoint());
    const stream = await new KinesisClient(config).send(
      new DescribeStreamSummaryCommand({ StreamName: HAND_CHANGES.streamName }),
    );
    expect(stream.StreamDescriptionSummary?.RetentionPeriodHours).toBe(168);
    const detector = await new LambdaClient(config).send(
      new GetFunctionConfigurationCommand({ FunctionName: HAND_CHANGES.functionName }),
    );
    expect(detector.Timeout).toBe(60);
    expect(await driftStatus()).toBe('IN_SYNC');
  });

  it('a stack with no drift: fails naming stack and state, executing nothing', async () => {
    await deployedStack();

    const result = await deploy({ 'deployment-mode': 'REVERT_DRIFT' });

    expect(result.exitCode).toBe(1);
    expect(result.failure).toBe(
      `Stack ${STACK_NAME} (CREATE_COMPLETE) has no drift to revert (CloudFormation: The submitted information didn't contain changes. Submit different information to create a change set.). Nothing was executed.`,
    );
    expect(emulator.proxy.requests.filter(isMutating).map((r) => r.operation)).toEqual([
      'CreateChangeSet',
      'DeleteChangeSet',
    ]);
  });
});
