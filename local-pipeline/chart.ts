import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Thresholds } from '../lambda/src/config';
import { byDevice, spanEnd, spanLabel, type ChartReading, type Excursion } from './excursions';

/**
 * The SVG chart of a run's readings (Vega-Lite, rendered headless by Vega: no browser, no
 * canvas): one panel per device, the thresholds dashed, each excursion shaded in its kind's
 * colour and labelled (aria-label) with what it is (an open one shaded to the device's last
 * reading). The terminal version is chart-text.ts.
 */

export const EXCURSION_COLOURS = { HOT: '#d62728', COLD: '#1f77b4' } as const;
/** A one-reading excursion would be a zero-width span: every span is widened by this many px. */
export const SPAN_PADDING_PX = 1.5;

const UTC_TIME = { field: 'timestamp', type: 'temporal', scale: { type: 'utc' } } as const;

export function readingsChartSpec(
  readings: readonly ChartReading[],
  excursions: readonly Excursion[],
  thresholds: Thresholds,
): TopLevelSpec {
  const panels = [...byDevice(readings)].map(([deviceId, series], panel) => ({
    title: `${deviceId}: ${series.length} readings`,
    width: 720,
    height: 180,
    layer: [
      {
        name: `excursions_${panel}`,
        data: {
          values: excursions
            .filter((excursion) => excursion.deviceId === deviceId)
            .map((excursion) => ({
              ...excursion,
              end: spanEnd(excursion, series),
              label: spanLabel(excursion),
            })),
        },
        mark: { type: 'rect', opacity: 0.25, xOffset: -SPAN_PADDING_PX, x2Offset: SPAN_PADDING_PX },
        encoding: {
          x: { ...UTC_TIME, field: 'start' },
          x2: { field: 'end' },
          color: {
            field: 'kind',
            type: 'nominal',
            title: 'excursion',
            scale: {
              domain: ['COLD', 'HOT'],
              range: [EXCURSION_COLOURS.COLD, EXCURSION_COLOURS.HOT],
            },
          },
          description: { field: 'label' },
        },
      },
      {
        name: `thresholds_${panel}`,
        data: { values: thresholdLines(thresholds) },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#555' },
        encoding: {
          y: { field: 'value', type: 'quantitative' },
          description: { field: 'label' },
        },
      },
      {
        name: `threshold_labels_${panel}`,
        data: { values: thresholdLines(thresholds) },
        mark: { type: 'text', align: 'right', dx: -4, dy: -5, color: '#555', fontSize: 10 },
        encoding: {
          x: { value: 'width' },
          y: { field: 'value', type: 'quantitative' },
          text: { field: 'label' },
        },
      },
      {
        name: `readings_${panel}`,
        data: {
          values: series.map(({ timestamp, temperatureF }) => ({ timestamp, temperatureF })),
        },
        mark: { type: 'line', color: '#333', strokeWidth: 1 },
        encoding: {
          x: { ...UTC_TIME, title: 'time (UTC)', axis: { format: '%H:%M:%S' } },
          y: {
            field: 'temperatureF',
            type: 'quantitative',
            title: 'temperature (°F)',
            scale: { zero: false },
          },
        },
      },
    ],
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Readings per device, thresholds dashed, excursions shaded',
    vconcat: panels,
  } as TopLevelSpec;
}

const thresholdLines = (thresholds: Thresholds) => [
  { label: `COLD below ${thresholds.coldBelowF} °F`, value: thresholds.coldBelowF },
  { label: `HOT above ${thresholds.hotAboveF} °F`, value: thresholds.hotAboveF },
];

/** The chart as a standalone SVG document. */
export async function renderReadingsSvg(
  readings: readonly ChartReading[],
  excursions: readonly Excursion[],
  thresholds: Thresholds,
): Promise<string> {
  const { spec } = compile(readingsChartSpec(readings, excursions, thresholds));
  const view = new View(parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
