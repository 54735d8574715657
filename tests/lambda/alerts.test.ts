import { alertFor } from '../../lambda/src/alerts';
import { DEFAULT_THRESHOLDS } from '../../lambda/src/classify';
import type { ExcursionEvent } from '../../lambda/src/excursion';

describe('alert messages', () => {
  const startedAt = '2026-11-21T10:00:05.000Z';
  const open = {
    kind: 'HOT' as const,
    startedAt,
    firstF: 101.44,
    peakF: 103.06,
    count: 3601,
    lastAnomalyAt: '2026-11-21T11:00:05.000Z',
    notifiedAt: '2026-11-21T11:00:05.000Z',
  };
  const opened: ExcursionEvent = { type: 'opened', excursion: open };
  const reminder: ExcursionEvent = {
    type: 'reminder',
    excursion: open,
    latestF: 102.5,
    latestAt: '2026-11-21T11:00:05.000Z',
  };
  const closed: ExcursionEvent = {
    type: 'closed',
    excursion: {
      kind: 'HOT',
      startedAt,
      endedAt: '2026-11-21T10:12:10.000Z',
      peakF: 103.06,
      count: 700,
    },
  };

  it('says when and at what temperature an excursion began', () => {
    // Act
    const alert = alertFor('DHT-001', [opened], DEFAULT_THRESHOLDS);

    // Assess
    expect(alert.subject).toBe('Temperature alert for DHT-001: HOT excursion began');
    expect(alert.message).toContain(
      'A HOT excursion began at 2026-11-21T10:00:05.000Z: 101.4 °F (normal range 96–101 °F).',
    );
  });

  it('gives the duration, count and peak of a reminder and of a closing', () => {
    // Act
    const alert = alertFor('DHT-001', [reminder, closed], DEFAULT_THRESHOLDS);

    // Assess
    expect(alert.subject).toBe(
      'Temperature alert for DHT-001: HOT excursion continues, HOT excursion ended',
    );
    expect(alert.message).toContain(
      'is still open after 1 h 0 min: 3601 anomalous readings, peak 103.1 °F, latest 102.5 °F at 2026-11-21T11:00:05.000Z.',
    );
    expect(alert.message).toContain(
      'ended at 2026-11-21T10:12:10.000Z after 12 min 5 s: 700 anomalous readings, peak 103.1 °F.',
    );
  });

  it('keeps the subject ASCII and under 100 characters whatever the device id and events', () => {
    // Act
    const alert = alertFor(
      `Gerät-${'x'.repeat(120)}`,
      [closed, opened, reminder],
      DEFAULT_THRESHOLDS,
    );

    // Assess
    expect(alert.subject.length).toBeLessThan(100);
    expect(alert.subject).toMatch(/^[\x20-\x7e]+$/);
    expect(alert.subject).toMatch(/\.\.\.: HOT excursion ended, HOT excursion began \+1$/);
  });
});
