import { createHash } from 'node:crypto';
import {
  CreateDeploymentCommand,
  CreateDeploymentConfigCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
} from '@aws-sdk/client-codedeploy';
import { GetAliasCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { run } from '../../../actions/lambda-deploy/src/main';
import { codedeploy, lambda } from './harness';
import { aliasMoves, publishAndShiftSucceed, shiftHarness } from './shift-harness';

publishAndShiftSucceed();

const notFound = Object.assign(new Error('no such config'), {
  name: 'DeploymentConfigDoesNotExistException',
});

describe('lambda-deploy traffic shift through CodeDeploy', () => {
  it('creates a deployment of the alias with its AppSpec, follows it and reports the release', async () => {
    // Prepare: the alias on 3 before and at the first poll, 10 % on 4 at the second, then on 4.
    lambda
      .on(GetAliasCommand)
      .resolvesOnce({ FunctionVersion: '3' })
      .resolvesOnce({ FunctionVersion: '3' })
      .resolvesOnce({
        FunctionVersion: '3',
        RoutingConfig: { AdditionalVersionWeights: { '4': 0.1 } },
      })
      .resolves({ FunctionVersion: '4' });
    codedeploy
      .on(GetDeploymentCommand)
      .resolvesOnce({ deploymentInfo: { status: 'Created' } })
      .resolvesOnce({ deploymentInfo: { status: 'InProgress' } })
      .resolves({ deploymentInfo: { status: 'Succeeded' } });
    const h = shiftHarness('CodeDeployDefault.LambdaLinear10PercentEvery1Minute', {
      'timeout-minutes': '11',
    });

    // Act
    await run(h.value);

    // Assess
    expect(h.io.failures).toEqual([]);
    expect(codedeploy.commandCalls(GetDeploymentConfigCommand)).toHaveLength(0);
    const input = codedeploy.commandCalls(CreateDeploymentCommand)[0]!.args[0].input;
    const content = input.revision?.appSpecContent?.content ?? '';
    expect(input).toEqual({
      applicationName: 'app',
      deploymentGroupName: 'group',
      deploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
      description:
        'detector live: version 3 → 4, 0123456789ab https://github.com/o/r/actions/runs/1',
      revision: {
        revisionType: 'AppSpecContent',
        appSpecContent: { content, sha256: createHash('sha256').update(content).digest('hex') },
      },
    });
    expect(JSON.parse(content)).toEqual({
      version: 0,
      Resources: [
        {
          live: {
            Type: 'AWS::Lambda::Function',
            Properties: {
              Name: 'detector',
              Alias: 'live',
              CurrentVersion: '3',
              TargetVersion: '4',
            },
          },
        },
      ],
    });
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
    expect(h.io.logs).toEqual(
      expect.arrayContaining([
        'CodeDeploy deployment d-1 shifts live from version 3 to 4 (CodeDeployDefault.LambdaLinear10PercentEvery1Minute)',
        '+0s      d-1 Created; traffic: version 3',
        '+1s      d-1 InProgress; traffic: 90% version 3, 10% version 4',
        '+3s      d-1 Succeeded; traffic: version 4',
      ]),
    );
    expect(h.io.outputs).toMatchObject({
      version: '4',
      'previous-version': '3',
      'rolled-back': 'false',
    });
    expect(h.io.summaryText()).toContain(
      '## ✅ Lambda detector: version 4 released to live (CodeDeployDefault.LambdaLinear10PercentEvery1Minute)',
    );
    expect(h.io.summaryText()).toContain('| CodeDeploy deployment | d-1 |');
    expect(h.io.summaryText()).not.toContain('Rollback deployment');
  });

  it('logs a status line only when it changes, polling ever less often up to every 10 s', async () => {
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: '3' });
    codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'InProgress' } });
    const h = shiftHarness('canary:10:10', { 'timeout-minutes': '11' });
    await run(h.value);
    expect(h.io.logs.filter((line) => line.startsWith('+'))).toEqual([
      '+0s      d-1 InProgress; traffic: version 3',
    ]);
    // 1 + 2 + 4 + 8 s, then every 10 s until 11 minutes have passed.
    expect(h.elapsed()).toBe(665_000);
    expect(h.io.failures).toEqual([
      'CodeDeploy deployment d-1 was still in progress after 11 minutes (live: version 3); it goes on in CodeDeploy, watched by its alarms.',
    ]);
    expect(h.io.outputs['rolled-back']).toBe('false');
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
    expect(h.io.summaryText()).toContain('## ❌ Lambda detector: version 4 not released to live');
  });

  it('creates the linear configuration for own weights when it does not exist', async () => {
    aliasMoves({ FunctionVersion: '4' });
    codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'Succeeded' } });
    codedeploy.on(GetDeploymentConfigCommand).rejects(notFound);
    const h = shiftHarness('LINEAR:30:10', { 'timeout-minutes': '41' });
    await run(h.value);
    expect(h.io.failures).toEqual([]);
    expect(
      codedeploy.commandCalls(GetDeploymentConfigCommand).map((call) => call.args[0].input),
    ).toEqual([{ deploymentConfigName: 'lambda-deploy.Linear30PercentEvery10Minutes' }]);
    expect(codedeploy.commandCalls(CreateDeploymentConfigCommand)[0]!.args[0].input).toEqual({
      deploymentConfigName: 'lambda-deploy.Linear30PercentEvery10Minutes',
      computePlatform: 'Lambda',
      trafficRoutingConfig: {
        type: 'TimeBasedLinear',
        timeBasedLinear: { linearPercentage: 30, linearInterval: 10 },
      },
    });
    expect(h.io.logs).toContain(
      'Created deployment configuration lambda-deploy.Linear30PercentEvery10Minutes',
    );
    expect(codedeploy.commandCalls(CreateDeploymentCommand)[0]!.args[0].input).toMatchObject({
      deploymentConfigName: 'lambda-deploy.Linear30PercentEvery10Minutes',
    });
  });

  it('uses the configuration for own weights as it is when it exists', async () => {
    aliasMoves({ FunctionVersion: '4' });
    codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'Succeeded' } });
    codedeploy.on(GetDeploymentConfigCommand).resolves({});
    const h = shiftHarness('linear:30:10', { 'timeout-minutes': '41' });
    await run(h.value);
    expect(h.io.failures).toEqual([]);
    expect(codedeploy.commandCalls(CreateDeploymentConfigCommand)).toHaveLength(0);
    expect(codedeploy.commandCalls(CreateDeploymentCommand)[0]!.args[0].input).toMatchObject({
      deploymentConfigName: 'lambda-deploy.Linear30PercentEvery10Minutes',
    });
  });

  it('fails with context when the configuration cannot be created', async () => {
    codedeploy.on(GetDeploymentConfigCommand).rejects(notFound);
    codedeploy
      .on(CreateDeploymentConfigCommand)
      .rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));
    const h = shiftHarness('canary:20:2');
    await run(h.value);
    expect(h.io.failures).toEqual([
      'could not create deployment configuration lambda-deploy.Canary20Percent2Minutes: AccessDeniedException: no',
    ]);
  });

  it('fails with context when the configuration cannot be read', async () => {
    codedeploy
      .on(GetDeploymentConfigCommand)
      .rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));
    const h = shiftHarness('canary:20:2');
    await run(h.value);
    expect(h.io.failures).toEqual([
      'could not read deployment configuration lambda-deploy.Canary20Percent2Minutes: AccessDeniedException: no',
    ]);
    expect(codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
  });

  it('fails with context when the deployment cannot be created', async () => {
    codedeploy
      .on(CreateDeploymentCommand)
      .rejects(Object.assign(new Error('gone'), { name: 'DeploymentGroupDoesNotExistException' }));
    const h = shiftHarness('CodeDeployDefault.LambdaAllAtOnce');
    await run(h.value);
    expect(h.io.failures).toEqual([
      'could not create a CodeDeploy deployment in app/group: DeploymentGroupDoesNotExistException: gone',
    ]);
  });

  it('when CodeDeploy succeeds but the alias is elsewhere, reports a rollback and leaves the alias on the previous version', async () => {
    aliasMoves({ FunctionVersion: '3' });
    codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'Succeeded' } });
    const h = shiftHarness('CodeDeployDefault.LambdaAllAtOnce');
    await run(h.value);
    expect(h.io.failures).toEqual([
      'CodeDeploy deployment d-1 of version 4 ended with live on version 3; live is back on version 3.',
    ]);
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
    expect(h.io.outputs['rolled-back']).toBe('true');
    expect(h.io.summaryText()).toContain(
      '## ❌ Lambda detector: version 4 rolled back, live is on version 3',
    );
    expect(h.io.summaryText()).toContain('| Rolled back | true |');
  });

  it('after a failed deployment whose rollback left weights, puts the alias back and reports both deployments', async () => {
    aliasMoves({ FunctionVersion: '3', weights: { '4': 0.1 } });
    codedeploy.on(GetDeploymentCommand, { deploymentId: 'd-1' }).resolves({
      deploymentInfo: {
        status: 'Failed',
        rollbackInfo: { rollbackDeploymentId: 'd-2', rollbackMessage: 'rolled back by d-2' },
      },
    });
    codedeploy
      .on(GetDeploymentCommand, { deploymentId: 'd-2' })
      .resolvesOnce({ deploymentInfo: { status: 'InProgress' } })
      .resolves({ deploymentInfo: { status: 'Succeeded' } });
    const h = shiftHarness('CodeDeployDefault.LambdaAllAtOnce');
    await run(h.value);
    expect(h.io.failures).toEqual([
      'CodeDeploy deployment d-1 of version 4 failed: deployment Failed; rolled back by d-2; live is back on version 3.',
    ]);
    expect(
      lambda.commandCalls(UpdateAliasCommand).map((call) => call.args[0].input.FunctionVersion),
    ).toEqual(['3']);
    expect(h.io.logs).toEqual(
      expect.arrayContaining(['+0s      d-2 InProgress', '+1s      d-2 Succeeded']),
    );
    expect(h.io.summaryText()).toContain('| Rollback deployment | d-2 |');
  });

  it('names the error CodeDeploy gives without a code', async () => {
    aliasMoves({ FunctionVersion: '3' });
    codedeploy.on(GetDeploymentCommand).resolves({
      deploymentInfo: { status: 'Stopped', errorInformation: { message: 'stopped' } },
    });
    const h = shiftHarness('CodeDeployDefault.LambdaAllAtOnce');
    await run(h.value);
    expect(h.io.failures).toEqual([
      'CodeDeploy deployment d-1 of version 4 failed: ERROR: stopped; live is back on version 3.',
    ]);
  });
});
