import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createAct } from '../../lambda/src/act';
import { commitDevice } from '../../lambda/src/device-commit';
import { planDevice, type Observed } from '../../lambda/src/device-plan';
import type { DeviceState } from '../../lambda/src/device-state';
import {
  DEFAULT_EXCURSION_SETTINGS,
  type ClosedExcursion,
  type ExcursionEvent,
} from '../../lambda/src/excursion';
import { atMinute } from './events';
import { mockedDeps } from './mocked-detector';

// A device whose outbox holds a message another invocation may still be publishing: what the
// plan for its new readings is, and what committing them does (nothing written, or redelivered).
const dynamoMock = mockClient(DynamoDBClient);
const NOW = 1_000;

const observed = (minute: number, temperatureF: number): Observed => ({
  deviceId: 'A',
  timestamp: atMinute(minute),
  temperatureF,
  unit: 'F',
  kind: temperatureF > 100.4 ? 'HOT' : undefined,
  sequenceNumber: String(200 + minute),
  index: minute,
});

const ended: ClosedExcursion = {
  kind: 'HOT',
  startedAt: atMinute(0),
  endedAt: atMinute(1),
  peakF: 103,
  count: 1,
};
const unsent: ExcursionEvent = { type: 'closed', excursion: ended };
/** Version 5 of device A, its message leased to another invocation until `leasedUntil`. */
const leased = (leasedUntil: number): DeviceState => ({
  deviceId: 'A',
  version: 5,
  lastSequenceNumber: '200',
  open: undefined,
  recent: [ended],
  outbox: { events: [unsent], version: 5, leasedUntil },
});
const context = (published: string[] = []) => ({
  settings: DEFAULT_EXCURSION_SETTINGS,
  now: NOW,
  published: new Set(published),
});

beforeEach(() => {
  dynamoMock.reset();
  dynamoMock.on(PutItemCommand).resolves({});
});

describe('planning a device whose message another invocation holds', () => {
  it('blocks a new anomalous reading until the message is out', () => {
    expect(planDevice(leased(NOW + 1), [observed(2, 103)], context())).toEqual({
      type: 'blocked',
    });
  });

  it('leaves the device unchanged when its new readings change nothing', () => {
    expect(planDevice(leased(NOW + 1), [observed(2, 98.6)], context())).toEqual({
      type: 'unchanged',
    });
  });

  it('empties an outbox this container saw SNS accept, without sending it again', () => {
    const plan = planDevice(leased(NOW + 1), [observed(2, 98.6)], context(['A\u00005']));

    expect(plan).toMatchObject({ type: 'write', happened: [] });
    expect(plan.type === 'write' && plan.next).toMatchObject({
      version: 6,
      lastSequenceNumber: '202',
      outbox: undefined,
    });
  });

  it('does not take another version’s acceptance for this one', () => {
    const plan = planDevice(leased(NOW + 1), [observed(2, 98.6)], context(['A\u00004', 'A5']));

    expect(plan).toEqual({ type: 'unchanged' });
  });
});

describe('committing a device whose message another invocation holds', () => {
  it('has its new anomalous reading redelivered, writing nothing', async () => {
    const act = createAct(mockedDeps({ log: () => undefined, now: () => NOW }));

    const result = await commitDevice(act, leased(NOW + 1), [observed(2, 103)]);

    expect(result).toBe('failed');
    expect(dynamoMock.commandCalls(PutItemCommand)).toHaveLength(0);
  });

  it('is done with readings that change nothing, writing nothing', async () => {
    const act = createAct(mockedDeps({ log: () => undefined, now: () => NOW }));

    const result = await commitDevice(act, leased(NOW + 1), [observed(2, 98.6)]);

    expect(result).toBe('done');
    expect(dynamoMock.commandCalls(PutItemCommand)).toHaveLength(0);
  });
});
