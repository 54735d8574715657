import {
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListVersionsByFunctionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../../actions/lambda-deploy/src/main';
import { answer, functionPublishing, harness, lambda, resetMocks, START } from './harness';

beforeEach(resetMocks);

const notFound = Object.assign(new Error('Alias not found'), {
  name: 'ResourceNotFoundException',
});

describe('lambda-deploy releasing an existing version (rollback)', () => {
  it('points the alias at the version without deploying code or running the check, and reports it', async () => {
    // Prepare: live is on 4 (with a zero weight left for 3), the rollback releases 3.
    lambda.on(GetAliasCommand).resolves({
      FunctionVersion: '4',
      RoutingConfig: { AdditionalVersionWeights: { '3': 0 } },
    });
    lambda.on(UpdateAliasCommand).resolves({});
    const h = harness({ alias: 'live', version: '3', 'pre-traffic-check': 'false' });

    // Act
    await run(h.value);

    // Assess
    expect(h.io.failures).toEqual([]);
    expect(lambda.commandCalls(GetFunctionCommand)).toHaveLength(0);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(lambda.commandCalls(UpdateAliasCommand).map((call) => call.args[0].input)).toEqual([
      {
        FunctionName: 'detector',
        Name: 'live',
        FunctionVersion: '3',
        RoutingConfig: { AdditionalVersionWeights: {} },
      },
    ]);
    expect(h.io.logs).toContain('Alias live now sends all traffic to version 3');
    expect(h.io.logs).toContain('group: Release version 3 to live');
    expect(h.io.outputs).toEqual({
      version: '3',
      'code-sha256': '',
      changed: 'false',
      alias: 'live',
      'previous-version': '4',
      'rolled-back': 'false',
    });
    expect(h.io.summaryText()).toBe(
      [
        '## ✅ Lambda detector: version 3 released to live (all at once)',
        '',
        '|  |  |',
        '| --- | --- |',
        '| Function | detector |',
        '| Version | 3 |',
        '| Alias | live |',
        '| Previous version | 4 |',
        '| Traffic shift | all at once |',
        '| Pre-traffic check | not run |',
        '| Rolled back | false |',
        '| Code | not deployed (releasing an existing version) |',
        '| Took | 0s |',
        '',
      ].join('\n'),
    );
  });

  it('leaves an alias that already sends all traffic to the version alone, saying so without a warning', async () => {
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: '3' });
    const h = harness({ alias: 'live', version: '3' });
    await run(h.value);
    expect(h.io.failures).toEqual([]);
    expect(h.io.annotations).toEqual([]);
    expect(h.io.logs).toContain('live already sends all traffic to version 3.');
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(0);
    expect(h.io.summaryText()).toMatch(
      /^## ✅ Lambda detector: live unchanged\n\n_live already sends all traffic to version 3._\n\n/,
    );
  });

  it('refuses to move an alias in the middle of a shift, naming the weights', async () => {
    lambda.on(GetAliasCommand).resolves({
      FunctionVersion: '3',
      RoutingConfig: { AdditionalVersionWeights: { '4': 0.125, '2': 0 } },
    });
    const h = harness({ alias: 'live', version: '5' });
    await run(h.value);
    const failure =
      'alias live is in the middle of a shift (87.5% version 3, 12.5% version 4); wait for that deployment to end, or roll back, before releasing version 5.';
    expect(h.io.failures).toEqual([failure]);
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(h.io.summaryText()).toMatch(
      new RegExp(
        `^## ❌ Lambda detector: version 5 not released to live\n\n\\*\\*${failure.replace(/[().]/g, '\\$&')}\\*\\*\n\n`,
      ),
    );
    expect(h.io.outputs['rolled-back']).toBe('false');
  });

  it('tells the user to deploy the stack first when the alias does not exist', async () => {
    lambda.on(GetAliasCommand).rejects(notFound);
    const h = harness({ alias: 'live', version: '5' });
    await run(h.value);
    expect(h.io.failures).toEqual([
      'Input "alias": function detector has no alias "live"; the stack creates it (the template\'s DetectorAlias) - deploy the stack first.',
    ]);
  });

  it('fails with context when the alias cannot be read', async () => {
    lambda
      .on(GetAliasCommand)
      .rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));
    const h = harness({ alias: 'live', version: '5' });
    await run(h.value);
    expect(h.io.failures).toEqual([
      'could not read alias live of detector: AccessDeniedException: no',
    ]);
  });

  it('fails with context when the alias cannot be moved', async () => {
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: '4' });
    lambda
      .on(UpdateAliasCommand)
      .rejects(Object.assign(new Error('busy'), { name: 'ResourceConflictException' }));
    const h = harness({ alias: 'live', version: '3', 'pre-traffic-check': 'false' });
    await run(h.value);
    expect(h.io.failures).toEqual([
      'could not point alias live of detector at version 3: ResourceConflictException: busy',
    ]);
  });

  it('warns that the alias stays put when the unchanged code is in no published version', async () => {
    const h = harness({ alias: 'live', entry: 'handler.ts' });
    writeFileSync(join(h.workspace, 'handler.ts'), '');
    lambda.on(GetFunctionCommand).callsFake(() => ({
      Configuration: { CodeSha256: h.io.logs.join('\n').match(/CodeSha256 (\S+)/)?.[1] },
    }));
    lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [] });
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: '3' });
    await run(h.value);
    expect(h.io.failures).toEqual([]);
    expect(h.io.annotations).toEqual([
      {
        level: 'warning',
        message: 'No published version holds this code; live stays on version 3.',
        properties: undefined,
      },
    ]);
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
  });
});

describe('lambda-deploy pre-traffic check', () => {
  it('invokes the new version directly, once it is active, with a Kinesis event as the mapping sends it', async () => {
    // Prepare
    functionPublishing('4');
    lambda.on(InvokeCommand).resolves(answer({ batchItemFailures: [] }));
    lambda.on(UpdateAliasCommand).resolves({});
    const h = harness({ alias: 'live', entry: 'handler.ts' });
    writeFileSync(join(h.workspace, 'handler.ts'), '');

    const before = Date.now() / 1000;

    // Act
    await run(h.value);

    // Assess
    const after = Date.now() / 1000;
    expect(h.io.failures).toEqual([]);
    expect(
      lambda.commandCalls(GetFunctionConfigurationCommand).map((call) => call.args[0].input),
    ).toContainEqual({ FunctionName: 'detector', Qualifier: '4' });
    const invoke = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(invoke).toMatchObject({ FunctionName: 'detector', Qualifier: '4', LogType: 'Tail' });
    const event = JSON.parse(Buffer.from(invoke.Payload as Uint8Array).toString()) as {
      Records: Record<string, unknown>[];
    };
    const deviceId = /device (\S+)\)/.exec(h.io.summaryText())?.[1] ?? '';
    expect(deviceId).toMatch(/^lambda-deploy-pre-traffic-check-v4-[0-9a-f]{12}$/);
    const sequence = (i: number) => String(BigInt(START) * 1000n + BigInt(i));
    expect(event.Records).toEqual(
      [98.6, 103.1, 94.2, 'not a number'].map((temperature, i) => ({
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: deviceId,
          sequenceNumber: sequence(i),
          data: Buffer.from(
            JSON.stringify({
              deviceId,
              timestamp: new Date(START + i * 1000).toISOString(),
              temperature,
              unit: 'F',
            }),
          ).toString('base64'),
          approximateArrivalTimestamp: expect.any(Number) as number,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `shardId-000000000000:${sequence(i)}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: '',
        awsRegion: 'eu-west-1',
        eventSourceARN:
          'arn:aws:kinesis:eu-west-1:000000000000:stream/lambda-deploy-pre-traffic-check',
      })),
    );
    for (const record of event.Records as { kinesis: { approximateArrivalTimestamp: number } }[]) {
      expect(record.kinesis.approximateArrivalTimestamp).toBeGreaterThanOrEqual(before);
      expect(record.kinesis.approximateArrivalTimestamp).toBeLessThanOrEqual(after);
    }
    expect(h.io.logs).toContain(
      `Invoking version 4 with a synthetic batch (normal, hot, cold, poison) for device ${deviceId}`,
    );
    expect(h.io.logs).toContain(
      'version 4 passed the pre-traffic check (normal, hot, cold and poison records; no batchItemFailures)',
    );
    expect(h.io.summaryText()).toContain(`| Pre-traffic check | passed (device ${deviceId}) |`);
    expect(h.io.summaryText()).not.toContain("Log of the check's invocation");
  });

  it.each([
    [answer(`oops${'o'.repeat(250)}`), `its response is not JSON: oops${'o'.repeat(196)}`],
    [answer('null'), 'its response has no batchItemFailures list: null'],
    [
      answer(`{"batchItemFailures":1,"x":"${'y'.repeat(250)}"}`),
      `its response has no batchItemFailures list: {"batchItemFailures":1,"x":"${'y'.repeat(172)}`,
    ],
    [answer('x'.repeat(350), 'Unhandled'), `the invocation failed (Unhandled): ${'x'.repeat(300)}`],
    [
      answer({ errorMessage: 'boom' }, 'Unhandled'),
      'the invocation failed (Unhandled): Error: boom',
    ],
    [
      answer({ errorType: 'TypeError' }, 'Handled'),
      'the invocation failed (Handled): TypeError: {"errorType":"TypeError"}',
    ],
  ])('fails the check on a bad answer (%#)', async (response, why) => {
    functionPublishing('4');
    lambda.on(InvokeCommand).resolves(response);
    const h = harness({ alias: 'live', entry: 'handler.ts' });
    writeFileSync(join(h.workspace, 'handler.ts'), '');
    await run(h.value);
    expect(h.io.failures).toEqual([
      `version 4 failed the pre-traffic check: ${why}; live stays on version 3.`,
    ]);
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
  });

  it('names the hot and cold records and unknown ids it reports failed, and shows the log of the invocation', async () => {
    functionPublishing('4');
    lambda.on(InvokeCommand).callsFake((input: { Payload: Uint8Array }) => {
      const event = JSON.parse(Buffer.from(input.Payload).toString()) as {
        Records: { kinesis: { sequenceNumber: string } }[];
      };
      return answer(
        {
          batchItemFailures: [
            { itemIdentifier: event.Records[1]!.kinesis.sequenceNumber },
            { itemIdentifier: event.Records[2]!.kinesis.sequenceNumber },
            { itemIdentifier: '42' },
          ],
        },
        undefined,
        'START RequestId: 1\nthe log\nEND',
      );
    });
    const h = harness({ alias: 'live', entry: 'handler.ts' });
    writeFileSync(join(h.workspace, 'handler.ts'), '');
    await run(h.value);
    expect(h.io.failures).toEqual([
      'version 4 failed the pre-traffic check: it reported batchItemFailures for the hot, cold, unknown record 42 record(s); live stays on version 3.',
    ]);
    expect(h.io.summaryText()).toContain(
      "Log of the check's invocation:\n\n```\nSTART RequestId: 1\nthe log\nEND\n```",
    );
    expect(h.io.summaryText()).toMatch(/\| Pre-traffic check \| failed \(device lambda-deploy-pre/);
    expect(h.io.outputs).toMatchObject({ version: '4', 'previous-version': '3' });
  });

  it('skips the check with pre-traffic-check false', async () => {
    functionPublishing('4');
    lambda.on(UpdateAliasCommand).resolves({});
    const h = harness({ alias: 'live', entry: 'handler.ts', 'pre-traffic-check': 'false' });
    writeFileSync(join(h.workspace, 'handler.ts'), '');
    await run(h.value);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(h.io.summaryText()).toContain('| Pre-traffic check | not run |');
    expect(h.io.outputs.version).toBe('4');
  });
});
