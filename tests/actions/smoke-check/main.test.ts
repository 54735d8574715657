import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { check, dynamo, kinesis, resetClients } from './harness';

beforeEach(resetClients);

describe('smoke-check', () => {
  it('puts a known HOT reading of its own device, then finds it stored as HOT', async () => {
    // Prepare: the item appears on the third read.
    dynamo
      .on(GetItemCommand)
      .resolvesOnce({})
      .resolvesOnce({})
      .resolves({ Item: { anomaly: { S: 'HOT' } } });

    // Act
    const { io, clock } = await check({ 'poll-seconds': '2' });

    // Assess
    expect(io.failures).toEqual([]);
    const put = kinesis.commandCalls(PutRecordCommand)[0]!.args[0].input;
    const reading = JSON.parse(Buffer.from(put.Data!).toString()) as Record<string, unknown>;
    expect(reading).toEqual({
      deviceId: 'smoke-check-77',
      timestamp: '2026-12-05T16:00:00.000Z',
      temperature: 104.5,
      unit: 'F',
    });
    expect(put).toMatchObject({ StreamName: 'readings-staging', PartitionKey: 'smoke-check-77' });
    expect(dynamo.commandCalls(GetItemCommand)[0]!.args[0].input).toEqual({
      TableName: 'anomalies-staging',
      Key: { deviceId: { S: 'smoke-check-77' }, timestamp: { S: '2026-12-05T16:00:00.000Z' } },
      ConsistentRead: true,
    });
    expect(clock.sleeps).toEqual([2000, 2000]);
    expect(io.outputs).toEqual({
      'device-id': 'smoke-check-77',
      timestamp: '2026-12-05T16:00:00.000Z',
      anomaly: 'HOT',
      'waited-seconds': '4',
    });
    expect(io.summaryText()).toContain('✅ Smoke check: HOT stored in 4s');
  });

  it('fails after the bounded wait when the reading never lands, naming stream and table', async () => {
    // Prepare
    dynamo.on(GetItemCommand).resolves({});

    // Act
    const { io, clock } = await check({ 'timeout-seconds': '12', 'poll-seconds': '5' });

    // Assess
    expect(clock.sleeps).toEqual([5000, 5000, 2000]);
    expect(io.failures).toEqual([
      expect.stringContaining(
        'put on readings-staging was not stored in anomalies-staging within 12s: the detector did not process it',
      ),
    ]);
    expect(io.outputs.anomaly).toBe('');
    expect(io.summaryText()).toContain('❌ Smoke check: failed');
  });

  it('fails when the reading is stored as another anomaly than expected', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: { anomaly: { S: 'COLD' } } });

    const { io } = await check();

    expect(io.failures).toEqual([expect.stringContaining('stored as "COLD", not HOT')]);
    expect(io.outputs.anomaly).toBe('COLD');
  });

  it('says which stream it could not put the reading on', async () => {
    kinesis
      .on(PutRecordCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));

    const { io } = await check();

    expect(io.failures).toEqual([
      'could not put the known reading on stream readings-staging: AccessDeniedException: denied',
    ]);
    expect(dynamo.commandCalls(GetItemCommand)).toHaveLength(0);
  });

  it('keeps the device id as given when there is no run id', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: { anomaly: { S: 'COLD' } } });

    const { io } = await check(
      { 'device-id': 'probe', temperature: '90', 'expected-anomaly': 'COLD' },
      {},
    );

    expect(io.failures).toEqual([]);
    expect(io.outputs['device-id']).toBe('probe');
  });

  it.each([
    [{ 'stream-name': '' }, 'Input "stream-name" is required.'],
    [
      { 'table-name': 'no spaces allowed' },
      'Input "table-name": "no spaces allowed" is not a DynamoDB table name.',
    ],
    [
      { temperature: '300' },
      'Input "temperature" must be a number of °F from -40 to 176, not "300".',
    ],
    [
      { 'expected-anomaly': 'warm' },
      'Input "expected-anomaly" must be one of hot, cold, not "warm".',
    ],
    [
      { 'timeout-seconds': '5' },
      'Input "timeout-seconds" must be a whole number from 10 to 900, not "5".',
    ],
    [
      { 'timeout-seconds': '10', 'poll-seconds': '10' },
      'Input "poll-seconds" (10) must be shorter than "timeout-seconds" (10).',
    ],
  ])('refuses %p before any AWS call', async (inputs, message) => {
    const { io } = await check(inputs);

    expect(io.failures).toEqual([message]);
    expect(kinesis.calls()).toHaveLength(0);
  });
});
