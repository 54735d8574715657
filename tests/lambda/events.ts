import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

/** The instant `minute` minutes after 10:00 UTC on 21 November 2026, as readings write it. */
export const atMinute = (minute: number): string =>
  new Date(Date.UTC(2026, 10, 21, 10) + minute * 60_000).toISOString();

/** A reading as the producer sends it; override any field, or set it to undefined to drop it. */
export function readingJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const reading: Record<string, unknown> = {
    deviceId: 'DHT-001',
    timestamp: '2026-11-21T10:00:00.000Z',
    temperature: 98.6,
    unit: 'F',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(reading).filter(([, value]) => value !== undefined));
}

const FIRST_SEQUENCE = 49_590_338_271_490_256_608_559_692_538_361_571_095_921_575_989_136_588_898n;

/** One Kinesis record as Lambda delivers it: data really base64-encoded. */
export function kinesisRecord(
  payload: Record<string, unknown> | string | Buffer,
  position: number,
  options: { rawBase64?: string } = {},
): KinesisStreamRecord {
  const bytes =
    typeof payload === 'string' || Buffer.isBuffer(payload)
      ? Buffer.from(payload)
      : Buffer.from(JSON.stringify(payload));
  const deviceId =
    typeof payload === 'object' && !Buffer.isBuffer(payload) && typeof payload.deviceId === 'string'
      ? payload.deviceId
      : 'unknown';
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: deviceId,
      sequenceNumber: String(FIRST_SEQUENCE + BigInt(position)),
      data: options.rawBase64 ?? bytes.toString('base64'),
      approximateArrivalTimestamp: 1_795_000_000 + position,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000000:${FIRST_SEQUENCE + BigInt(position)}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/detector',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/m03p02_raw_data_stream',
  };
}

export function kinesisEvent(records: KinesisStreamRecord[]): KinesisStreamEvent {
  return { Records: records };
}

/** An event of the given readings, in order. */
export function eventOf(readings: Record<string, unknown>[]): KinesisStreamEvent {
  return kinesisEvent(readings.map((reading, i) => kinesisRecord(reading, i)));
}

/** `count` readings over `devices`, every `anomalyEvery`-th one HOT or COLD in turn. */
export function mixedReadings(count: number, devices: string[], anomalyEvery: number) {
  return Array.from({ length: count }, (_, i) => {
    const anomaly = i % anomalyEvery === anomalyEvery - 1;
    const hot = Math.floor(i / anomalyEvery) % 2 === 0;
    return readingJson({
      deviceId: devices[i % devices.length],
      timestamp: new Date(Date.UTC(2026, 10, 21, 10) + i * 1000).toISOString(),
      temperature: anomaly ? (hot ? 102.5 : 94.1) : 98.6,
    });
  });
}
