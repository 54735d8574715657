import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { check, dynamo, kinesis, resetClients } from './harness';

beforeEach(() => {
  resetClients();
  dynamo.on(GetItemCommand).resolves({ Item: { anomaly: { S: 'HOT' } } });
});

/** The reading the action put on the stream, as the detector reads it. */
const putReading = () => {
  const put = kinesis.commandCalls(PutRecordCommand)[0]!.args[0].input;
  return JSON.parse(Buffer.from(put.Data!).toString()) as Record<string, unknown>;
};

const outOfRange = (raw: string) =>
  `Input "temperature" must be a number of °F from -40 to 176, not "${raw}".`;

describe('smoke-check inputs', () => {
  it.each([
    [
      { 'stream-name': 'readings staging' },
      'Input "stream-name": "readings staging" is not a Kinesis stream name.',
    ],
    [
      { 'stream-name': 'readings/staging' },
      'Input "stream-name": "readings/staging" is not a Kinesis stream name.',
    ],
    [
      { 'table-name': 'anomalies staging' },
      'Input "table-name": "anomalies staging" is not a DynamoDB table name.',
    ],
    [
      { 'device-id': 'probe 1' },
      'Input "device-id": "probe 1" is not a device id (letters, digits, _.:-).',
    ],
    [
      { 'device-id': 'probe/1' },
      'Input "device-id": "probe/1" is not a device id (letters, digits, _.:-).',
    ],
    [{ 'poll-seconds': '0' }, 'Input "poll-seconds" must be a whole number from 1 to 60, not "0".'],
    [
      { 'poll-seconds': '61', 'timeout-seconds': '120' },
      'Input "poll-seconds" must be a whole number from 1 to 60, not "61".',
    ],
    [{ temperature: '-40.5' }, outOfRange('-40.5')],
    [{ temperature: '-50' }, outOfRange('-50')],
    [{ temperature: '176.1' }, outOfRange('176.1')],
    [{ temperature: '1e2' }, outOfRange('1e2')],
    [{ temperature: 'x5' }, outOfRange('x5')],
    [{ temperature: '5x' }, outOfRange('5x')],
    [{ temperature: '98.' }, outOfRange('98.')],
  ])('refuses %p naming the input and what it must be', async (inputs, message) => {
    const { io } = await check(inputs);

    expect(io.failures).toEqual([message]);
    expect(kinesis.calls()).toHaveLength(0);
  });

  it.each([
    ['-40', -40],
    ['176', 176],
    ['98.25', 98.25],
  ])('puts temperature %s °F, the edges of the sensor range included', async (raw, value) => {
    const { io } = await check({ temperature: raw });

    expect(io.failures).toEqual([]);
    expect(putReading()).toMatchObject({ temperature: value, unit: 'F' });
  });

  it('expects the anomaly named in any case, and HOT when not told', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: { anomaly: { S: 'COLD' } } });
    const cold = await check({ 'expected-anomaly': 'Cold', temperature: '-10' });
    const hot = await check({ 'expected-anomaly': 'HOT', temperature: '-10' });
    const unset = await check({ temperature: '-10' });

    expect(cold.io.failures).toEqual([]);
    const notHot =
      'The reading was stored as "COLD", not HOT: the detector\'s thresholds or classification differ from what the check expects.';
    expect(hot.io.failures).toEqual([notHot]);
    expect(unset.io.failures).toEqual([notHot]);
  });

  it('polls every 5 seconds when poll-seconds is not given', async () => {
    dynamo
      .on(GetItemCommand)
      .resolvesOnce({})
      .resolvesOnce({})
      .resolves({ Item: { anomaly: { S: 'HOT' } } });

    const { clock } = await check();

    expect(clock.sleeps).toEqual([5000, 5000]);
  });
});
