import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
} from '@aws-sdk/client-lambda';
import { run } from '../../../actions/lambda-deploy/src/main';
import { answer, functionPublishing, harness, lambda, resetMocks } from './harness';

beforeEach(resetMocks);

function releaseHarness(inputs: Record<string, string> = {}): ReturnType<typeof harness> {
  const h = harness({ entry: 'handler.ts', alias: 'live', ...inputs });
  writeFileSync(join(h.workspace, 'handler.ts'), '');
  return h;
}

describe('lambda-deploy release edges', () => {
  it('reads the alias it is asked to move on the named function', async () => {
    // Prepare
    functionPublishing('6');
    const h = releaseHarness({ 'pre-traffic-check': 'false' });

    // Act
    await run(h.value);

    // Assess
    expect(h.io.failures).toEqual([]);
    expect(lambda.commandCalls(GetAliasCommand)[0]!.args[0].input).toEqual({
      FunctionName: 'detector',
      Name: 'live',
    });
  });

  it('names the version and function when the new version does not become active', async () => {
    // Prepare
    functionPublishing('6');
    lambda.on(GetFunctionConfigurationCommand).resolves({ State: 'Failed' });
    const h = releaseHarness();

    // Act
    await run(h.value);

    // Assess
    expect(h.io.failures).toHaveLength(1);
    expect(h.io.failures[0]).toContain('version 6 of detector did not become active');
  });

  it('names the version and function when the check cannot invoke it', async () => {
    // Prepare
    functionPublishing('6');
    lambda.on(InvokeCommand).rejects(new Error('throttled'));
    const h = releaseHarness();

    // Act
    await run(h.value);

    // Assess
    expect(h.io.failures).toHaveLength(1);
    expect(h.io.failures[0]).toContain('could not invoke version 6 of detector');
  });

  it('shows no invocation log when a failed check returned none', async () => {
    // Prepare
    functionPublishing('6');
    lambda.on(InvokeCommand).resolves(answer({ errorMessage: 'boom' }, 'Unhandled'));
    const h = releaseHarness();

    // Act
    await run(h.value);

    // Assess
    expect(h.io.failures).toHaveLength(1);
    expect(h.io.summaryText()).not.toContain("Log of the check's invocation");
  });
});
