import { DEFAULT_THRESHOLDS } from '../../lambda/src/classify';
import { classify } from '../../lambda/src/classify';
import {
  advance,
  DEFAULT_EXCURSION_SETTINGS,
  type Excursions,
  type Observation,
} from '../../lambda/src/excursion';

const START = Date.UTC(2026, 10, 21, 10);
const at = (second: number) => new Date(START + second * 1000).toISOString();

/** One reading a second from `from`, at the given temperatures. */
const series = (temperatures: number[], from = 0): Observation[] =>
  temperatures.map((temperatureF, i) => ({
    timestamp: at(from + i),
    temperatureF,
    kind: classify(temperatureF, DEFAULT_THRESHOLDS),
  }));

const none: Excursions = { open: undefined, recent: [] };
const repeat = (value: number, times: number) => Array<number>(times).fill(value);

describe('excursions', () => {
  it('opens on the first anomalous reading with its time and temperature', () => {
    // Act
    const { events, excursions } = advance(
      none,
      series([98.6, 101.4, 102]),
      DEFAULT_EXCURSION_SETTINGS,
    );

    // Assess
    expect(events).toEqual([
      {
        type: 'opened',
        excursion: expect.objectContaining({ kind: 'HOT', startedAt: at(1), firstF: 101.4 }),
      },
    ]);
    expect(excursions.open).toMatchObject({ count: 2, peakF: 102, lastAnomalyAt: at(2) });
  });

  it('keeps one excursion through noise across the threshold, and closes it after the hold period', () => {
    // Prepare: 10 minutes of noise between 100.9 and 101.2 °F, then normal readings.
    const noise = Array.from({ length: 600 }, (_, i) => [100.9, 101.2, 101.0, 101.1][i % 4]!);
    const readings = series([...noise, ...repeat(98.6, 400)]);

    // Act
    const { events, excursions } = advance(none, readings, DEFAULT_EXCURSION_SETTINGS);

    // Assess: the first normal reading after the last HOT one (599 s) is at 600 s; 300 s later it closes.
    expect(events.map((event) => event.type)).toEqual(['opened', 'closed']);
    expect(events[1]).toEqual({
      type: 'closed',
      excursion: { kind: 'HOT', startedAt: at(1), endedAt: at(600), peakF: 101.2, count: 300 },
    });
    expect(excursions).toEqual({ open: undefined, recent: [events[1]!.excursion] });
  });

  it('stays open while normal readings last less than the hold period', () => {
    // Act
    const { events, excursions } = advance(
      none,
      series([103, ...repeat(98, 299), 103]),
      DEFAULT_EXCURSION_SETTINGS,
    );

    // Assess
    expect(events.map((event) => event.type)).toEqual(['opened']);
    expect(excursions.open).toMatchObject({ count: 2, lastAnomalyAt: at(300) });
    expect(excursions.open?.normalSince).toBeUndefined();
  });

  it('closes a HOT excursion and opens a COLD one on a reading of the other kind', () => {
    // Act
    const { events } = advance(none, series([102, 95]), DEFAULT_EXCURSION_SETTINGS);

    // Assess
    expect(events).toEqual([
      expect.objectContaining({ type: 'opened' }),
      {
        type: 'closed',
        excursion: { kind: 'HOT', startedAt: at(0), endedAt: at(1), peakF: 102, count: 1 },
      },
      {
        type: 'opened',
        excursion: expect.objectContaining({ kind: 'COLD', firstF: 95, startedAt: at(1) }),
      },
    ]);
  });

  it('reminds at most once an hour while an excursion stays open, with the lowest COLD reading as peak', () => {
    // Act: 2.5 hours of cold readings, one a second.
    const cold = Array.from({ length: 9000 }, (_, i) => 95 - (i % 7) * 0.1);
    const { events } = advance(none, series(cold), DEFAULT_EXCURSION_SETTINGS);

    // Assess
    expect(events.map((event) => event.type)).toEqual(['opened', 'reminder', 'reminder']);
    expect(events[1]).toMatchObject({ latestAt: at(3600), excursion: { count: 3601 } });
    expect(events[2]).toMatchObject({ latestAt: at(7200) });
    expect(events[2]?.excursion.peakF).toBeCloseTo(94.4);
  });

  it('continues from a stored state exactly as from one long series', () => {
    // Prepare
    const readings = series([...repeat(103, 5), ...repeat(98, 400), 94]);
    const whole = advance(none, readings, DEFAULT_EXCURSION_SETTINGS);

    // Act
    const first = advance(none, readings.slice(0, 200), DEFAULT_EXCURSION_SETTINGS);
    const second = advance(first.excursions, readings.slice(200), DEFAULT_EXCURSION_SETTINGS);

    // Assess
    expect([...first.events, ...second.events]).toEqual(whole.events);
    expect(second.excursions).toEqual(whole.excursions);
  });

  it('uses the configured hold period', () => {
    // Act
    const { events } = advance(none, series([103, 98, 98, 98]), {
      ...DEFAULT_EXCURSION_SETTINGS,
      holdMs: 2000,
    });

    // Assess
    expect(events.map((event) => event.type)).toEqual(['opened', 'closed']);
    expect(events[1]?.excursion).toMatchObject({ endedAt: at(1) });
  });
});
