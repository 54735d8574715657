import { decodeReading } from '../../lambda/src/reading';
import { readingJson } from './events';

// The rules a record must pass, at their edges: what the detector stores (the decoded reading)
// or the reason it dead-letters, exactly as a person reading the queue sees it.
const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');
const withTimestamp = (timestamp: string) => decodeReading(encode(readingJson({ timestamp })));
const reasonOf = (base64: string) => {
  const decoded = decodeReading(base64);
  return decoded.ok ? 'accepted' : decoded.reason;
};
const NOT_ISO = 'timestamp is not an ISO-8601 UTC date-time';

describe('decodeReading: canonical timestamps (the fast path)', () => {
  it.each([
    '2026-12-31T23:59:59.999Z',
    '2026-01-01T00:00:00.000Z',
    '2028-02-29T12:00:00.000Z',
    '2000-02-29T12:00:00.000Z',
    '2026-04-30T12:00:00.000Z',
    '0001-01-01T00:00:00.000Z',
  ])('keeps %s as it is', (timestamp) => {
    expect(withTimestamp(timestamp)).toMatchObject({ ok: true, reading: { timestamp } });
  });

  it.each([
    ['29 February of a common year', '2026-02-29T12:00:00.000Z'],
    ['29 February of a century that is not a leap year', '1900-02-29T12:00:00.000Z'],
    ['30 February of a leap year', '2028-02-30T12:00:00.000Z'],
    ['31 April', '2026-04-31T12:00:00.000Z'],
    ['32 January', '2026-01-32T12:00:00.000Z'],
    ['day 00', '2026-11-00T12:00:00.000Z'],
    ['month 00', '2026-00-21T12:00:00.000Z'],
    ['month 13', '2026-13-21T12:00:00.000Z'],
    ['hour 24', '2026-11-21T24:00:00.000Z'],
    ['minute 60', '2026-11-21T10:60:00.000Z'],
    ['second 60', '2026-11-21T10:00:60.000Z'],
    ['a letter in the year', '2O26-11-21T10:00:00.000Z'],
    ['a colon in the day', '2026-11-2:T10:00:00.000Z'],
    ['a slash in the hour', '2026-11-21T1/:00:00.000Z'],
    ['a letter in the milliseconds', '2026-11-21T10:00:00.00xZ'],
    ['a letter in the minutes', '2026-11-21T10:0x:00.000Z'],
    ['a letter in the seconds', '2026-11-21T10:00:0x.000Z'],
    ['a letter in the month', '2026-1x-21T10:00:00.000Z'],
  ])('rejects %s', (_what, timestamp) => {
    expect(withTimestamp(timestamp)).toEqual({ ok: false, reason: NOT_ISO });
  });

  // The fast path exists for speed (Date.parse costs ~1 µs a record at 10,000 records a batch):
  // every canonical instant, at each field's lowest and highest value, is decided without it.
  it.each([
    '0000-01-01T00:00:00.000Z',
    '2026-01-01T00:00:00.000Z',
    '2026-12-31T23:59:59.999Z',
    '2028-02-29T00:00:00.000Z',
    '2000-02-29T12:00:00.000Z',
    '2026-02-28T12:00:00.000Z',
    '2026-04-30T12:00:00.000Z',
    '2028-01-31T12:00:00.000Z',
  ])('decides %s without Date.parse', (timestamp) => {
    const parse = jest.spyOn(Date, 'parse');
    try {
      expect(withTimestamp(timestamp)).toMatchObject({ ok: true, reading: { timestamp } });
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it.each(['2026-11-21T10:00:00.000Z ', ' 2026-11-21T10:00:00.000Z', '2026-11-21T10:00:00.000Zx'])(
    'rejects %j, a canonical instant with more around it',
    (timestamp) => {
      expect(withTimestamp(timestamp)).toEqual({ ok: false, reason: NOT_ISO });
    },
  );

  // Each separator of YYYY-MM-DDTHH:MM:SS.sssZ replaced: none of these is a date-time.
  it.each([4, 7, 10, 13, 16, 19, 23])('rejects a wrong character at position %i', (position) => {
    const canonical = '2026-11-21T10:00:00.000Z';
    const timestamp = `${canonical.slice(0, position)}5${canonical.slice(position + 1)}`;
    expect(withTimestamp(timestamp)).toEqual({ ok: false, reason: NOT_ISO });
  });
});

describe('decodeReading: other ISO-8601 UTC forms', () => {
  it.each([
    ['2026-11-21T10:00:00Z', '2026-11-21T10:00:00.000Z'],
    ['2026-11-21T10:00:00.5Z', '2026-11-21T10:00:00.500Z'],
    ['2026-11-21T10:00:00.123456Z', '2026-11-21T10:00:00.123Z'],
    ['2026-11-21T10:00:00-00:00', '2026-11-21T10:00:00.000Z'],
    ['2026-11-21T10:00:00.000+0000', '2026-11-21T10:00:00.000Z'],
    ['2028-02-29T10:00:00Z', '2028-02-29T10:00:00.000Z'],
  ])('normalises %s to %s', (timestamp, normalised) => {
    expect(withTimestamp(timestamp)).toMatchObject({
      ok: true,
      reading: { timestamp: normalised },
    });
  });

  it.each([
    '2026-02-29T10:00:00Z',
    '2026-11-21T24:00:00Z',
    '2026-11-21 10:00:00Z',
    '2026-11-21T10:00Z',
    '2026-11-21T10:00:00',
    'x2026-11-21T10:00:00Z',
    '2026-11-21T10:00:00Zx',
    '2026-11-21T10:00:00.000+01:00',
  ])('rejects %s', (timestamp) => {
    expect(withTimestamp(timestamp)).toEqual({ ok: false, reason: NOT_ISO });
  });
});

describe('decodeReading: the record and its fields', () => {
  it.each([
    ['JSON null', encode(null), 'data is JSON but not an object'],
    ['a JSON string', encode('98.6'), 'data is JSON but not an object'],
    ['a JSON array', encode([]), 'data is JSON but not an object'],
    [
      'base64 without its padding',
      encode(readingJson()).replace(/=+$/, ''),
      'data is not valid base64',
    ],
    // Two characters (not a whole group of four) that atob alone would take as the byte "1".
    ['base64 of one byte without its padding', 'MQ', 'data is not valid base64'],
    [
      'base64 with a character outside the alphabet',
      `*${encode(readingJson()).slice(1)}`,
      'data is not valid base64',
    ],
    [
      'base64 with white space in it',
      `${encode(readingJson()).slice(0, 8)} ${encode(readingJson()).slice(8)}`,
      'data is not valid base64',
    ],
    [
      "base64url's alphabet (- and _)",
      `-_${encode(readingJson()).slice(2)}`,
      'data is not valid base64',
    ],
    [
      'bytes that are not UTF-8',
      Buffer.from([0x7b, 0xc3, 0x28, 0x7d]).toString('base64'),
      'data is not valid UTF-8',
    ],
    ['text that is not JSON', Buffer.from('{"deviceId":').toString('base64'), 'data is not JSON'],
    ['deviceId missing', encode(readingJson({ deviceId: undefined })), 'deviceId is missing'],
    [
      'deviceId null',
      encode(readingJson({ deviceId: null })),
      'deviceId must be a non-empty string',
    ],
    [
      'deviceId of 129 characters',
      encode(readingJson({ deviceId: 'd'.repeat(129) })),
      'deviceId is longer than 128 characters',
    ],
    ['timestamp missing', encode(readingJson({ timestamp: undefined })), 'timestamp is missing'],
    ['timestamp null', encode(readingJson({ timestamp: null })), 'timestamp must be a string'],
    [
      'temperature missing',
      encode(readingJson({ temperature: undefined })),
      'temperature is missing',
    ],
    [
      'temperature as a string',
      encode(readingJson({ temperature: '98.6' })),
      'temperature must be a finite number',
    ],
    ['unit null', encode(readingJson({ unit: null })), 'unit must be "F" or "C"'],
    ['unit lower-case', encode(readingJson({ unit: 'f' })), 'unit must be "F" or "C"'],
  ])('dead-letters %s with the reason', (_what, base64, reason) => {
    expect(reasonOf(base64)).toBe(reason);
  });

  it('accepts a reading that holds U+FFFD itself, and still refuses bytes that only decode to it', () => {
    const replacement = decodeReading(encode(readingJson({ deviceId: 'DHT-\uFFFD' })));
    expect(replacement).toMatchObject({ ok: true, reading: { deviceId: 'DHT-\uFFFD' } });
    const invalid = Buffer.concat([
      Buffer.from('{"deviceId":"DHT-'),
      Buffer.from([0xff]),
      Buffer.from('"}'),
    ]);
    expect(reasonOf(invalid.toString('base64'))).toBe('data is not valid UTF-8');
  });

  it.each(['Gerät-7', 'センサー-12', 'DHT-🌡'])(
    'keeps the UTF-8 device id %s as it is',
    (deviceId) => {
      expect(decodeReading(encode(readingJson({ deviceId })))).toMatchObject({
        ok: true,
        reading: { deviceId },
      });
    },
  );

  it('accepts base64 with one, two or no padding characters', () => {
    const paddings = ['', 'x', 'xx'].map((note) => {
      const base64 = encode(readingJson({ deviceId: `D${note}` }));
      return { padding: base64.length - base64.replace(/=+$/, '').length, ok: reasonOf(base64) };
    });
    expect(paddings.map((entry) => entry.ok)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(paddings.map((entry) => entry.padding).sort()).toEqual([0, 1, 2]);
  });

  it('accepts a device id of exactly 128 characters', () => {
    const deviceId = 'd'.repeat(128);
    expect(decodeReading(encode(readingJson({ deviceId })))).toMatchObject({
      ok: true,
      reading: { deviceId },
    });
  });

  it('accepts a record of exactly 1024 bytes and rejects one a byte longer', () => {
    const json = (length: number) => {
      const base = JSON.stringify({ ...readingJson(), note: '' });
      return JSON.stringify({ ...readingJson(), note: 'n'.repeat(length - base.length) });
    };
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    // Base64 has no finer grain than 3 bytes: 1026 bytes is the longest the size check passes.
    expect(reasonOf(b64(json(1026)))).toBe('accepted');
    expect(reasonOf(b64(json(1027)))).toBe('record is larger than 1024 bytes');
  });

  it.each([
    [40, 'C', 104],
    [-40, 'C', -40],
    [80, 'C', 176],
    [176, 'F', 176],
    [-40, 'F', -40],
    [92.5, 'F', 92.5],
  ])('accepts %d °%s as %d °F', (temperature, unit, temperatureF) => {
    expect(decodeReading(encode(readingJson({ temperature, unit })))).toEqual({
      ok: true,
      reading: {
        deviceId: 'DHT-001',
        timestamp: '2026-11-21T10:00:00.000Z',
        temperatureF,
        unit,
      },
    });
  });

  it.each([
    [176.1, 'F', 'temperature 176.1 °F is outside what the sensor can report (-40 °F to 176 °F)'],
    [-40.1, 'F', 'temperature -40.1 °F is outside what the sensor can report (-40 °F to 176 °F)'],
    [80.1, 'C', 'temperature 80.1 °C is outside what the sensor can report (-40 °F to 176 °F)'],
  ])('dead-letters %d °%s: %s', (temperature, unit, reason) => {
    expect(reasonOf(encode(readingJson({ temperature, unit })))).toBe(reason);
  });
});
