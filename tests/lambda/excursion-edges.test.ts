import { sequenceAfter } from '../../lambda/src/device-plan';
import { advance, DEFAULT_EXCURSION_SETTINGS, type Observation } from '../../lambda/src/excursion';

const START = Date.UTC(2026, 10, 21, 10);
const at = (second: number) => new Date(START + second * 1000).toISOString();
const observe = (second: number, temperatureF: number): Observation => ({
  timestamp: at(second),
  temperatureF,
  kind: temperatureF > 101 ? 'HOT' : temperatureF < 96 ? 'COLD' : undefined,
});

describe('excursions kept on the device', () => {
  it('keeps the ten most recent closed excursions, newest last', () => {
    // Twelve excursions, each a HOT reading then the other kind or a long normal run.
    const readings = Array.from({ length: 12 }, (_, i) => [
      observe(i * 1000, 102 + i / 10),
      observe(i * 1000 + 1, 98),
      observe(i * 1000 + 400, 98),
    ]).flat();

    const { excursions, events } = advance(
      { open: undefined, recent: [] },
      readings,
      DEFAULT_EXCURSION_SETTINGS,
    );

    expect(events.filter((event) => event.type === 'closed')).toHaveLength(12);
    expect(excursions.recent.map((excursion) => excursion.startedAt)).toEqual(
      Array.from({ length: 10 }, (_, i) => at((i + 2) * 1000)),
    );
    expect(excursions.recent.at(-1)).toEqual({
      kind: 'HOT',
      startedAt: at(11_000),
      endedAt: at(11_001),
      peakF: 103.1,
      count: 1,
    });
  });

  it('closes once the normal readings have lasted exactly the hold period, not before', () => {
    const settings = { ...DEFAULT_EXCURSION_SETTINGS, holdMs: 10_000 };
    const readings = [observe(0, 103), observe(5, 98), observe(14, 98), observe(15, 98)];

    const before = advance({ open: undefined, recent: [] }, readings.slice(0, 3), settings);
    const after = advance({ open: undefined, recent: [] }, readings, settings);

    expect(before.events.map((event) => event.type)).toEqual(['opened']);
    expect(before.excursions.open).toMatchObject({ normalSince: at(5), count: 1 });
    expect(after.events.at(-1)).toEqual({
      type: 'closed',
      excursion: { kind: 'HOT', startedAt: at(0), endedAt: at(5), peakF: 103, count: 1 },
    });
  });
});

describe('stream order of Kinesis sequence numbers', () => {
  it.each([
    ['10', '9', true],
    ['9', '10', false],
    ['12', '11', true],
    ['11', '12', false],
    ['11', '11', false],
    ['1', undefined, true],
  ])('%s comes after %s: %s', (a, b, after) => {
    expect(sequenceAfter(a, b)).toBe(after);
  });
});
