import { decodeReading, MAX_RECORD_BYTES } from '../../lambda/src/reading';
import { readingJson } from './events';

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');

describe('decodeReading', () => {
  it('decodes a well-formed reading in °F', () => {
    // Act
    const decoded = decodeReading(encode(readingJson()));

    // Assess
    expect(decoded).toEqual({
      ok: true,
      reading: {
        deviceId: 'DHT-001',
        timestamp: '2026-11-21T10:00:00.000Z',
        temperatureF: 98.6,
        unit: 'F',
      },
    });
  });

  it('defaults the unit to °F when absent', () => {
    const decoded = decodeReading(encode(readingJson({ unit: undefined, temperature: 97 })));
    expect(decoded).toMatchObject({ ok: true, reading: { temperatureF: 97, unit: 'F' } });
  });

  it('converts °C to °F', () => {
    const decoded = decodeReading(encode(readingJson({ unit: 'C', temperature: 37 })));
    expect(decoded.ok && decoded.reading.temperatureF).toBeCloseTo(98.6, 10);
  });

  it('accepts 29 February in a leap year', () => {
    expect(
      decodeReading(encode(readingJson({ timestamp: '2028-02-29T10:00:00.000Z' }))),
    ).toMatchObject({ ok: true });
  });

  it('normalises the timestamp so one instant is always one key', () => {
    const decoded = decodeReading(encode(readingJson({ timestamp: '2026-11-21T10:00:00+00:00' })));
    expect(decoded).toMatchObject({ ok: true, reading: { timestamp: '2026-11-21T10:00:00.000Z' } });
  });

  const malformed: [string, string, RegExp][] = [
    ['bad base64', '%%%not-base64%%%', /base64/],
    ['not UTF-8', Buffer.from([0xff, 0xfe, 0xfd]).toString('base64'), /UTF-8/],
    ['not JSON', Buffer.from('temperature=98.6').toString('base64'), /not JSON/],
    ['JSON that is not an object (array)', encode([98.6]), /not an object/],
    ['JSON that is not an object (number)', encode(98.6), /not an object/],
    ['deviceId missing', encode(readingJson({ deviceId: undefined })), /deviceId is missing/],
    ['timestamp missing', encode(readingJson({ timestamp: undefined })), /timestamp is missing/],
    [
      'temperature missing',
      encode(readingJson({ temperature: undefined })),
      /temperature is missing/,
    ],
    ['deviceId of the wrong type', encode(readingJson({ deviceId: 42 })), /deviceId must be/],
    ['deviceId empty', encode(readingJson({ deviceId: '' })), /deviceId must be/],
    ['deviceId too long', encode(readingJson({ deviceId: 'x'.repeat(129) })), /longer than 128/],
    ['temperature as a string', encode(readingJson({ temperature: '98.6' })), /finite number/],
    ['temperature "NaN" as a string', encode(readingJson({ temperature: 'NaN' })), /finite number/],
    [
      'temperature "Infinity" as a string',
      encode(readingJson({ temperature: 'Infinity' })),
      /finite number/,
    ],
    ['temperature null', encode(readingJson({ temperature: null })), /finite number/],
    // JSON has no Infinity, but a number too large for a double parses as one.
    [
      'temperature 1e999',
      Buffer.from(JSON.stringify(readingJson()).replace('98.6', '1e999')).toString('base64'),
      /finite number/,
    ],
    [
      'temperature above what the sensor reports',
      encode(readingJson({ temperature: 1000 })),
      /outside what the sensor/,
    ],
    [
      'temperature below what the sensor reports',
      encode(readingJson({ temperature: -41, unit: 'C' })),
      /outside what the sensor/,
    ],
    ['unknown unit', encode(readingJson({ unit: 'K' })), /unit must be/],
    [
      'oversized record',
      encode(readingJson({ note: 'x'.repeat(MAX_RECORD_BYTES) })),
      /larger than/,
    ],
    ['timestamp not ISO-8601', encode(readingJson({ timestamp: '21/11/2026 10:00' })), /ISO-8601/],
    [
      'timestamp of the wrong type',
      encode(readingJson({ timestamp: 1_795_000_000 })),
      /timestamp must be a string/,
    ],
    [
      'timestamp not UTC',
      encode(readingJson({ timestamp: '2026-11-21T10:00:00+01:00' })),
      /ISO-8601 UTC/,
    ],
    [
      'timestamp of an impossible date',
      encode(readingJson({ timestamp: '2026-02-30T10:00:00Z' })),
      /ISO-8601/,
    ],
  ];

  it.each(malformed)('rejects %s, saying why', (_kind, data, reason) => {
    // Act
    const decoded = decodeReading(data);

    // Assess
    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.reason).toMatch(reason);
  });
});
