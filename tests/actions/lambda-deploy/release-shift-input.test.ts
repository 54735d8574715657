import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
} from '@aws-sdk/client-codedeploy';
import { GetAliasCommand } from '@aws-sdk/client-lambda';
import { run } from '../../../actions/lambda-deploy/src/main';
import { codedeploy, harness, lambda } from './harness';
import { aliasMoves, publishAndShiftSucceed, shiftHarness } from './shift-harness';

publishAndShiftSucceed();

describe('lambda-deploy traffic-shift input', () => {
  it.each([
    ['canary:99:5', '6', 'lambda-deploy.Canary99Percent5Minutes'],
    ['CANARY:1:1', '2', 'lambda-deploy.Canary1Percent1Minutes'],
    ['linear:30:10', '41', 'lambda-deploy.Linear30PercentEvery10Minutes'],
    [
      'CodeDeployDefault.LambdaCanary10Percent30Minutes',
      '31',
      'CodeDeployDefault.LambdaCanary10Percent30Minutes',
    ],
  ])('accepts %s with timeout-minutes %s', async (shift, timeout, configName) => {
    aliasMoves({ FunctionVersion: '4' });
    codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'Succeeded' } });
    codedeploy.on(GetDeploymentConfigCommand).resolves({});
    const h = shiftHarness(shift, { 'timeout-minutes': timeout });
    await run(h.value);
    expect(h.io.failures).toEqual([]);
    expect(
      codedeploy.commandCalls(CreateDeploymentCommand)[0]!.args[0].input.deploymentConfigName,
    ).toBe(configName);
  });

  it('accepts ALL-AT-ONCE in any case, without CodeDeploy', async () => {
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: '3' });
    const h = harness({ alias: 'live', entry: 'handler.ts', 'traffic-shift': 'ALL-AT-ONCE' });
    writeFileSync(join(h.workspace, 'handler.ts'), '');
    await run(h.value);
    expect(h.io.failures).toEqual([]);
    expect(codedeploy.calls()).toHaveLength(0);
  });

  it.each([
    [
      { 'traffic-shift': 'canary:100:5' },
      'Input "traffic-shift" must be all-at-once, a CodeDeployDefault.Lambda* configuration (e.g. CodeDeployDefault.LambdaCanary10Percent5Minutes), canary:<percent>:<minutes> or linear:<percent>:<minutes> (percent 1-99), not "canary:100:5".',
    ],
    [{ 'traffic-shift': 'linear:10:0' }, 'not "linear:10:0"'],
    [{ 'traffic-shift': 'xcanary:10:5' }, 'not "xcanary:10:5"'],
    [{ 'traffic-shift': 'canary:10:5x' }, 'not "canary:10:5x"'],
    [
      { 'timeout-minutes': '40', 'traffic-shift': 'linear:30:10' },
      'Input "timeout-minutes": 40 is too short for "traffic-shift" lambda-deploy.Linear30PercentEvery10Minutes, which takes 40 minutes.',
    ],
    [{ 'timeout-minutes': '5', 'traffic-shift': 'canary:10:5' }, 'which takes 5 minutes.'],
    [
      {
        'timeout-minutes': '30',
        'traffic-shift': 'CodeDeployDefault.LambdaCanary10Percent30Minutes',
      },
      'which takes 30 minutes.',
    ],
    [
      { 'deployment-group': 'bad group' },
      'Input "deployment-group": "bad group" is not a CodeDeploy name.',
    ],
    [
      { 'deployment-group': '' },
      'Input "deployment-group" is required when "traffic-shift" goes through CodeDeploy (lambda-deploy.Canary10Percent5Minutes).',
    ],
    [{ alias: '123' }, 'Input "alias": "123" is not a Lambda alias name.'],
    [{ alias: 'a'.repeat(129) }, `Input "alias": "${'a'.repeat(129)}" is not a Lambda alias name.`],
    [{ alias: 'li ve' }, 'Input "alias": "li ve" is not a Lambda alias name.'],
    [{ version: '01' }, 'Input "version": "01" is not a published version number'],
    [
      { version: '12345678901' },
      'Input "version": "12345678901" is not a published version number',
    ],
    [{ version: '1 2' }, 'Input "version": "1 2" is not a published version number'],
    [
      { 'deployment-application': 'a'.repeat(101) },
      `Input "deployment-application": "${'a'.repeat(101)}" is not a CodeDeploy name.`,
    ],
    [
      { version: '0' },
      'Input "version": "0" is not a published version number ($LATEST cannot be released).',
    ],
  ])('refuses %j before any AWS call', async (inputs, message) => {
    const h = shiftHarness('canary:10:5', inputs);
    await run(h.value);
    expect(h.io.failures).toEqual([expect.stringContaining(message)]);
    expect(lambda.calls()).toHaveLength(0);
  });

  it('takes deployment names without CodeDeploy, and still checks them', async () => {
    const h = harness({ alias: 'live', 'deployment-application': 'a b' });
    await run(h.value);
    expect(h.io.failures).toEqual([
      'Input "deployment-application": "a b" is not a CodeDeploy name.',
    ]);
  });
});
