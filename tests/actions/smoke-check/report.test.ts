import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { check, dynamo, kinesis, resetClients } from './harness';

beforeEach(resetClients);

const TABLE_HEAD = [
  '| reading | stream | table | expected | stored |',
  '| --- | --- | --- | --- | --- |',
];
const NOT_STORED =
  'The known reading (smoke-check-77 at 2026-12-05T16:00:00.000Z, 104.5 °F) put on readings-staging ' +
  'was not stored in anomalies-staging within 12s: the detector did not process it (see its logs, ' +
  'its event source mapping and the dead-letter queue).';

describe('smoke-check reports what it put and what was stored', () => {
  it('a pass: a heading with the wait, then one table row for the reading', async () => {
    dynamo
      .on(GetItemCommand)
      .resolvesOnce({})
      .resolves({ Item: { anomaly: { S: 'HOT' } } });

    const { io } = await check({ 'poll-seconds': '3' });

    expect(io.failures).toEqual([]);
    expect(io.summaryText()).toBe(
      [
        '## ✅ Smoke check: HOT stored in 3s',
        '',
        ...TABLE_HEAD,
        '| smoke-check-77 at 2026-12-05T16:00:00.000Z, 104.5 °F | readings-staging | anomalies-staging | HOT | HOT |',
        '',
      ].join('\n'),
    );
    expect(io.logs).toEqual([
      'Put smoke-check-77 2026-12-05T16:00:00.000Z on readings-staging (4900)',
    ]);
  });

  it('a reading never stored: "nothing" in the table, the reason under it and as the failure', async () => {
    dynamo.on(GetItemCommand).resolves({});

    const { io } = await check({ 'timeout-seconds': '12', 'poll-seconds': '5' });

    expect(io.summaryText()).toBe(
      [
        '## ❌ Smoke check: failed',
        '',
        ...TABLE_HEAD,
        '| smoke-check-77 at 2026-12-05T16:00:00.000Z, 104.5 °F | readings-staging | anomalies-staging | HOT | nothing |',
        '',
        NOT_STORED,
        '',
      ].join('\n'),
    );
    expect(io.failures).toEqual([NOT_STORED]);
    expect(io.outputs).toEqual({
      'device-id': 'smoke-check-77',
      timestamp: '2026-12-05T16:00:00.000Z',
      anomaly: '',
      'waited-seconds': '12',
    });
  });

  it('a reading stored as another anomaly: the stored one in the table and the failure', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: { anomaly: { S: 'NONE' } } });

    const { io } = await check({ 'expected-anomaly': 'cold', temperature: '-12' });

    const failure =
      'The reading was stored as "NONE", not COLD: the detector\'s thresholds or classification differ from what the check expects.';
    expect(io.failures).toEqual([failure]);
    expect(io.summaryText()).toBe(
      [
        '## ❌ Smoke check: failed',
        '',
        ...TABLE_HEAD,
        '| smoke-check-77 at 2026-12-05T16:00:00.000Z, -12 °F | readings-staging | anomalies-staging | COLD | NONE |',
        '',
        failure,
        '',
      ].join('\n'),
    );
  });

  it('an item stored without an anomaly attribute counts as stored as ""', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: { deviceId: { S: 'smoke-check-77' } } });

    const { io } = await check();

    expect(io.failures).toEqual([
      'The reading was stored as "", not HOT: the detector\'s thresholds or classification differ from what the check expects.',
    ]);
    expect(io.outputs.anomaly).toBe('');
  });

  it('gives each attempt of a run its own device id', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: { anomaly: { S: 'HOT' } } });

    const { io } = await check({}, { GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: '2' });

    expect(io.outputs['device-id']).toBe('smoke-check-77-2');
    expect(kinesis.commandCalls(PutRecordCommand)[0]!.args[0].input.PartitionKey).toBe(
      'smoke-check-77-2',
    );
  });

  it('logs the put with an empty sequence when Kinesis returns none', async () => {
    kinesis.on(PutRecordCommand).resolves({});
    dynamo.on(GetItemCommand).resolves({ Item: { anomaly: { S: 'HOT' } } });

    const { io } = await check();

    expect(io.logs).toEqual(['Put smoke-check-77 2026-12-05T16:00:00.000Z on readings-staging ()']);
  });

  it('a table it cannot read fails the step with the AWS error, before any report', async () => {
    dynamo
      .on(GetItemCommand)
      .rejects(Object.assign(new Error('no such table'), { name: 'ResourceNotFoundException' }));

    const { io } = await check();

    expect(io.failures).toEqual([
      'could not read table anomalies-staging: ResourceNotFoundException: no such table',
    ]);
    expect(io.summaryText()).toBe('');
    expect(io.outputs).toEqual({});
  });
});
