import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Thresholds } from '../../lambda/src/config';
import { byDevice, spanEnd, spanLabel, type ChartReading, type Excursion } from './excursions';
import { fleetChartSpec, SMALL_MULTIPLES_MAX } from './fleet-chart';

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
      excursionLayer(
        panel,
        excursions.filter((excursion) => excursion.deviceId === deviceId),
        series,
      ),
      ...thresholdLayers(panel, thresholds),
      readingsLayer(panel, series),
    ],
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Readings per device, thresholds dashed, excursions shaded',
    vconcat: panels,
  } as TopLevelSpec;
}

/** A device's excursions, shaded in their kind's colour and labelled. */
function excursionLayer(
  panel: number,
  excursions: readonly Excursion[],
  series: readonly ChartReading[],
) {
  return {
    name: `excursions_${panel}`,
    data: {
      values: excursions.map((excursion) => ({
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
  };
}

/** The thresholds as dashed rules, each labelled at the panel's right edge. */
function thresholdLayers(panel: number, thresholds: Thresholds) {
  return [
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
  ];
}

function readingsLayer(panel: number, series: readonly ChartReading[]) {
  return {
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
  };
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
  const chart = byDevice(readings).size > SMALL_MULTIPLES_MAX ? fleetChartSpec : readingsChartSpec;
  const { spec } = compile(chart(readings, excursions, thresholds));
  const view = new View(parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
