import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { GetAliasCommand, InvokeCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import {
  answer,
  codedeploy,
  functionPublishing,
  harness,
  lambda,
  resetMocks,
  type Harness,
} from './harness';

/** Before each test: version 4 published, its check passing, CodeDeploy starting deployment d-1. */
export function publishAndShiftSucceed(): void {
  beforeEach(() => {
    resetMocks();
    functionPublishing('4');
    lambda.on(InvokeCommand).resolves(answer({ batchItemFailures: [] }));
    lambda.on(UpdateAliasCommand).resolves({});
    codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-1' });
  });
}

/** A release of handler.ts to alias `live` that shifts traffic with `trafficShift`. */
export function shiftHarness(trafficShift: string, extra: Record<string, string> = {}): Harness {
  const h = harness({
    alias: 'live',
    entry: 'handler.ts',
    'traffic-shift': trafficShift,
    'deployment-application': 'app',
    'deployment-group': 'group',
    ...extra,
  });
  writeFileSync(join(h.workspace, 'handler.ts'), '');
  return h;
}

/** The alias: on 3 before the release, `end` from then on. */
export function aliasMoves(end: { FunctionVersion: string; weights?: Record<string, number> }) {
  lambda
    .on(GetAliasCommand)
    .resolvesOnce({ FunctionVersion: '3' })
    .resolves({
      FunctionVersion: end.FunctionVersion,
      RoutingConfig: { AdditionalVersionWeights: end.weights ?? {} },
    });
}
