import { decodeReading } from '../../lambda/src/reading';
import { readingJson } from './events';

// Edges of the timestamp forms the detector accepts beyond its producer's own.
const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');
const withTimestamp = (timestamp: string) => decodeReading(encode(readingJson({ timestamp })));

describe('decodeReading: fractions of a second', () => {
  it.each([
    ['2026-11-21T10:00:00.1Z', '2026-11-21T10:00:00.100Z'],
    ['2026-11-21T10:00:00.123456789Z', '2026-11-21T10:00:00.123Z'],
    ['2026-11-21T10:00:00.987654321+00:00', '2026-11-21T10:00:00.987Z'],
  ])('accepts %s (one to nine digits) as %s', (timestamp, normalised) => {
    expect(withTimestamp(timestamp)).toMatchObject({
      ok: true,
      reading: { timestamp: normalised },
    });
  });

  it.each(['2026-11-21T10:00:00.1234567890Z', '2026-11-21T10:00:00.Z', '2026-11-21T10:00:00,5Z'])(
    'rejects %s',
    (timestamp) => {
      expect(withTimestamp(timestamp)).toEqual({
        ok: false,
        reason: 'timestamp is not an ISO-8601 UTC date-time',
      });
    },
  );
});
