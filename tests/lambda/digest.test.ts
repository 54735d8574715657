import { DEFAULT_THRESHOLDS } from '../../lambda/src/classify';
import { digestsFor } from '../../lambda/src/digest';
import type { ExcursionEvent } from '../../lambda/src/excursion';

// A digest as a subscriber reads it, whole, and how many devices one digest can carry.
const opened = (firstF: number): ExcursionEvent => ({
  type: 'opened',
  excursion: {
    kind: 'COLD',
    startedAt: '2026-11-21T10:00:00.000Z',
    firstF,
    peakF: firstF,
    count: 1,
    lastAnomalyAt: '2026-11-21T10:00:00.000Z',
    notifiedAt: '2026-11-21T10:00:00.000Z',
  },
});

describe('a digest', () => {
  it('of one device and one event reads, whole, in the singular', () => {
    const digests = digestsFor([{ deviceId: 'DHT-7', events: [opened(94)] }], DEFAULT_THRESHOLDS);

    expect(digests).toEqual([
      {
        deviceId: 'digest',
        covers: ['DHT-7'],
        subject: 'Temperature alerts for 1 device: 1 excursion event',
        message: [
          'Temperature alerts for 1 device at once (a digest: too many for a message each):',
          '',
          '- DHT-7: A COLD excursion began at 2026-11-21T10:00:00.000Z: 94.0 °F (normal range 96–101 °F).',
          '',
          'Every anomalous reading is stored in the anomaly table.',
        ].join('\n'),
      },
    ]);
  });

  it('of a device with two events gives each its own line, under the device', () => {
    const [digest] = digestsFor(
      [
        { deviceId: 'DHT-7', events: [opened(94)] },
        { deviceId: 'DHT-8', events: [opened(95), opened(93)] },
      ],
      DEFAULT_THRESHOLDS,
    );

    expect(digest?.subject).toBe('Temperature alerts for 2 devices: 3 excursion events');
    expect(digest?.message.split('\n').slice(2, 5)).toEqual([
      '- DHT-7: A COLD excursion began at 2026-11-21T10:00:00.000Z: 94.0 °F (normal range 96–101 °F).',
      '- DHT-8: A COLD excursion began at 2026-11-21T10:00:00.000Z: 95.0 °F (normal range 96–101 °F).',
      '- DHT-8: A COLD excursion began at 2026-11-21T10:00:00.000Z: 93.0 °F (normal range 96–101 °F).',
    ]);
  });

  it('holds at most 200 KiB: more devices go on in the next digest, in order', () => {
    const messages = Array.from({ length: 2500 }, (_, i) => ({
      deviceId: `DHT-${String(i).padStart(4, '0')}`,
      events: [opened(94)],
    }));

    const digests = digestsFor(messages, DEFAULT_THRESHOLDS);

    expect(digests).toHaveLength(2);
    expect(digests.flatMap((digest) => digest.covers)).toEqual(messages.map((m) => m.deviceId));
    for (const digest of digests) {
      expect(Buffer.byteLength(digest.message)).toBeLessThanOrEqual(200 * 1024 + 200);
    }
  });
});
