import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GetFunctionCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
} from '@aws-sdk/client-lambda';
import { run } from '../../../actions/lambda-deploy/src/main';
import { deterministicZip, sha256Base64 } from '../../../actions/shared/zip';
import { functionPublishing, harness, lambda, resetMocks } from './harness';

beforeEach(resetMocks);

const DEPLOYED_SHA = sha256Base64(
  deterministicZip([
    {
      path: 'index.js',
      data: Buffer.from('exports.handler=async()=>({batchItemFailures:[]})'),
      executable: false,
    },
  ]),
);

function entryHarness(): ReturnType<typeof harness> {
  const h = harness({ entry: 'handler.ts' });
  writeFileSync(join(h.workspace, 'handler.ts'), '');
  return h;
}

describe('lambda-deploy code edges', () => {
  it('reads the named function, waits for a previous update on it, then publishes', async () => {
    // Prepare
    functionPublishing('6');
    const h = entryHarness();

    // Act
    await run(h.value);

    // Assess
    expect(h.io.failures).toEqual([]);
    const reads = lambda.commandCalls(GetFunctionCommand);
    expect(reads.length).toBeGreaterThan(1);
    expect(reads.map((call) => call.args[0].input)).toEqual(
      reads.map(() => ({ FunctionName: 'detector' })),
    );
    expect(h.io.logs).toContain('Waiting for a previous update to finish (up to 5 minutes)…');
  });

  it('deploys to a function whose configuration is not returned', async () => {
    // Prepare
    functionPublishing('6');
    lambda
      .on(GetFunctionCommand)
      .resolvesOnce({})
      .resolves({ Configuration: { LastUpdateStatus: 'Successful', State: 'Active' } });
    const h = entryHarness();

    // Act
    await run(h.value);

    // Assess
    expect(h.io.failures).toEqual([]);
    expect(h.io.outputs).toMatchObject({ version: '6', changed: 'true' });
  });

  it('cuts the version description to the 256 characters Lambda accepts', async () => {
    // Prepare
    functionPublishing('6');
    const h = entryHarness();
    const runUrl = `https://github.com/o/r/actions/runs/${'1'.repeat(300)}`;

    // Act
    await run({ ...h.value, run: { ...h.value.run, runUrl } });

    // Assess
    expect(h.io.failures).toEqual([]);
    const description = lambda.commandCalls(PublishVersionCommand)[0]!.args[0].input.Description;
    expect(description).toBe(`0123456789ab ${runUrl}`.slice(0, 256));
    expect(description).toHaveLength(256);
  });

  it('names the function when its versions cannot be listed', async () => {
    // Prepare
    lambda.on(GetFunctionCommand).resolves({ Configuration: { CodeSha256: DEPLOYED_SHA } });
    lambda.on(ListVersionsByFunctionCommand).rejects(new Error('throttled'));
    const h = entryHarness();

    // Act
    await run(h.value);

    // Assess
    expect(h.io.failures).toHaveLength(1);
    expect(h.io.failures[0]).toContain('could not list the versions of detector');
  });
});
