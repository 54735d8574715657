import {
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
} from '@aws-sdk/client-codedeploy';
import { run } from '../../../actions/lambda-deploy/src/main';
import { codedeploy } from './harness';
import { aliasMoves, publishAndShiftSucceed, shiftHarness } from './shift-harness';

publishAndShiftSucceed();

const CONFIG = 'CodeDeployDefault.LambdaCanary10Percent5Minutes';

describe('lambda-deploy CodeDeploy shift edges', () => {
  it('cuts the deployment description to the 256 characters CodeDeploy accepts', async () => {
    // Prepare
    aliasMoves({ FunctionVersion: '4' });
    codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'Succeeded' } });
    codedeploy.on(GetDeploymentConfigCommand).resolves({});
    const h = shiftHarness(CONFIG);
    const runUrl = `https://github.com/o/r/actions/runs/${'1'.repeat(300)}`;

    // Act
    await run({ ...h.value, run: { ...h.value.run, runUrl } });

    // Assess
    expect(h.io.failures).toEqual([]);
    const description =
      codedeploy.commandCalls(CreateDeploymentCommand)[0]!.args[0].input.description;
    expect(description).toBe(`detector live: version 3 → 4, 0123456789ab ${runUrl}`.slice(0, 256));
    expect(description).toHaveLength(256);
  });

  it('names the deployment it could not read', async () => {
    // Prepare
    aliasMoves({ FunctionVersion: '4' });
    codedeploy.on(GetDeploymentCommand).rejects(new Error('throttled'));
    codedeploy.on(GetDeploymentConfigCommand).resolves({});
    const h = shiftHarness(CONFIG);

    // Act
    await run(h.value);

    // Assess
    expect(h.io.failures).toHaveLength(1);
    expect(h.io.failures[0]).toContain('could not read deployment d-1');
  });
});
