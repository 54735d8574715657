import {
  DescribeStackDriftDetectionStatusCommand,
  DetectStackDriftCommand,
  type DescribeStackDriftDetectionStatusCommandOutput,
} from '@aws-sdk/client-cloudformation';
import { settledStack } from '../../shared/busy-stack';
import { StateError, withContext } from '../../shared/errors';
import { formatDuration } from '../../shared/wait';
import type { Invocation } from './deps';

/**
 * The states CloudFormation runs drift detection in: a stack whose last operation finished
 * (ROLLBACK_COMPLETE, *_FAILED and REVIEW_IN_PROGRESS stacks have no settled template to
 * compare against).
 */
export const DETECTABLE = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'UPDATE_ROLLBACK_FAILED',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
]);

const POLL_MS = 5000;

export type Detection = DescribeStackDriftDetectionStatusCommandOutput;

/** Waits out another operation, starts detection and follows it to its end or the deadline. */
export async function detectDrift(invocation: Invocation): Promise<Detection> {
  const { io, cloudformation, clock } = invocation.deps;
  const { stackName } = invocation.inputs;
  const { stack } = await settledStack(cloudformation, stackName, {
    clock,
    deadline: invocation.deadline,
    log: (line) => {
      io.info(line);
    },
    atTimeout: 'drift detection was not started.',
  });
  if (!stack) throw new StateError(`Stack ${stackName} does not exist: there is nothing to check.`);
  const status = stack.StackStatus ?? 'UNKNOWN';
  if (!DETECTABLE.has(status)) {
    throw new StateError(
      `Stack ${stackName} is ${status}: CloudFormation detects drift only on a stack whose last operation completed (${[...DETECTABLE].join(', ')}).`,
    );
  }
  const { StackDriftDetectionId: id = '' } = await withContext(
    `could not start drift detection on stack ${stackName}`,
    () => cloudformation.send(new DetectStackDriftCommand({ StackName: stackName })),
  );
  io.info(`Drift detection ${id} started on stack ${stackName} (${status}).`);
  return followDetection(invocation, id);
}

async function followDetection(invocation: Invocation, id: string): Promise<Detection> {
  const { io, cloudformation, clock } = invocation.deps;
  const { stackName } = invocation.inputs;
  for (;;) {
    const detection = await withContext(`could not follow drift detection on ${stackName}`, () =>
      cloudformation.send(
        new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: id }),
      ),
    );
    const took = formatDuration(clock.now() - invocation.started);
    if (detection.DetectionStatus !== 'DETECTION_IN_PROGRESS') {
      io.info(`+${took} ${detection.DetectionStatus ?? '?'}: ${detection.StackDriftStatus ?? '?'}`);
      return detection;
    }
    if (clock.now() >= invocation.deadline) {
      throw new StateError(
        `Drift detection on stack ${stackName} is still DETECTION_IN_PROGRESS at the timeout (timeout-minutes: ${invocation.inputs.timeoutMinutes}); no result was reported.`,
      );
    }
    io.info(`+${took} drift detection on ${stackName} in progress`);
    await clock.sleep(POLL_MS);
  }
}
