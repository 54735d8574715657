import type { TopLevelSpec } from 'vega-lite';
import type { Thresholds } from '../../lambda/src/config';
import { byDevice, spanEnd, spanLabel, type ChartReading, type Excursion } from './excursions';

/**
 * A fleet on one page: a row per device, time across, each cell coloured by the reading farthest
 * from normal in it (blue cold, white normal, red hot), each excursion outlined on its device's
 * row and labelled (aria-label) with what it is. A panel per device stops being readable past a
 * handful of devices; this stays readable at 50.
 */

/** Above this many devices the chart is a devices × time grid instead of a panel per device. */
export const SMALL_MULTIPLES_MAX = 6;
const ROW_PX = 12;
const TIME_CELLS = 60;
const NORMAL_F = 98.2;

interface Cell {
  readonly deviceId: string;
  readonly from: string;
  readonly to: string;
  readonly temperatureF: number;
}

/** Each device's readings in `TIME_CELLS` slices of the run: the one farthest from normal in each. */
export function fleetCells(readings: readonly ChartReading[]): Cell[] {
  const times = readings.map((reading) => Date.parse(reading.timestamp));
  const first = Math.min(...times);
  const span = Math.max(1, Math.max(...times) - first + 1);
  const width = span / TIME_CELLS;
  const cells = new Map<string, Cell>();
  for (const reading of readings) {
    const slot = Math.floor((Date.parse(reading.timestamp) - first) / width);
    const key = `${reading.deviceId} ${slot}`;
    const held = cells.get(key);
    if (held && Math.abs(held.temperatureF - NORMAL_F) >= Math.abs(reading.temperatureF - NORMAL_F))
      continue;
    cells.set(key, {
      deviceId: reading.deviceId,
      from: new Date(first + slot * width).toISOString(),
      to: new Date(first + (slot + 1) * width).toISOString(),
      temperatureF: reading.temperatureF,
    });
  }
  return [...cells.values()];
}

export function fleetChartSpec(
  readings: readonly ChartReading[],
  excursions: readonly Excursion[],
  thresholds: Thresholds,
): TopLevelSpec {
  const devices = byDevice(readings);
  const y = { field: 'deviceId', type: 'ordinal', title: 'device', sort: [...devices.keys()] };
  const time = (field: string) => ({ field, type: 'temporal', scale: { type: 'utc' } });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${devices.size} devices × time: each cell the reading farthest from normal, excursions outlined`,
    width: 720,
    height: { step: ROW_PX },
    layer: [
      {
        name: 'cells',
        data: { values: fleetCells(readings) },
        mark: { type: 'rect' },
        encoding: {
          x: { ...time('from'), title: 'time (UTC)', axis: { format: '%H:%M:%S' } },
          x2: { field: 'to' },
          y,
          color: temperatureColour(thresholds),
        },
      },
      {
        name: 'excursions',
        data: {
          values: excursions.map((excursion) => ({
            ...excursion,
            end: spanEnd(excursion, devices.get(excursion.deviceId) ?? []),
            label: spanLabel(excursion),
          })),
        },
        mark: { type: 'rect', fillOpacity: 0, stroke: '#000', strokeWidth: 1.5 },
        encoding: { x: time('start'), x2: { field: 'end' }, y, description: { field: 'label' } },
      },
    ],
  } as unknown as TopLevelSpec;
}

/** Blue below the cold threshold, white at normal, red above the hot one. */
function temperatureColour(thresholds: Thresholds) {
  return {
    field: 'temperatureF',
    type: 'quantitative',
    title: 'temperature (°F)',
    scale: {
      domain: [
        thresholds.coldBelowF - 3,
        thresholds.coldBelowF,
        NORMAL_F,
        thresholds.hotAboveF,
        thresholds.hotAboveF + 3,
      ],
      range: ['#08306b', '#6baed6', '#f7f7f7', '#fb6a4a', '#67000d'],
      clamp: true,
    },
  };
}
