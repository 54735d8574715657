import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../../lambda/src/config';
import { decodeReading } from '../../lambda/src/reading';
import { renderReadingsSvg } from './chart';
import { excursionTable, terminalChart } from './chart-text';
import type { ChartReading, Excursion } from './excursions';
import type { LocalEnvironment } from '../local-environment';
import { repoRoot } from '../emulator/tools';
import { SMALL_MULTIPLES_MAX } from './fleet-chart';
import { excursionsByDevice, fleetLines } from './fleet-text';
import { readStream } from './streams';

/** Where `npm run local` writes its JSON report and the chart beside it. */
export const REPORT_DIR = join(repoRoot, '.local', 'report');

/** What the JSON report says about the chart (its excursions are the report's own). */
export interface ChartSummary {
  readonly svg: string;
  readonly readings: number;
  /** Each device of the run and how many excursions it had. */
  readonly excursionsByDevice: Record<string, number>;
}

export interface RunChart {
  readonly summary: ChartSummary;
  /** Terminal chart, the excursions table and where the SVG is, for the text report. */
  readonly text: string;
}

/**
 * Reads every reading of the run back from the stream and writes the SVG chart into `directory`,
 * shading the excursions the detector found (the report's). The thresholds are the detector's.
 */
export async function chartRun(
  local: LocalEnvironment,
  excursions: readonly Excursion[],
  directory = REPORT_DIR,
): Promise<RunChart> {
  const config = local.clientConfig();
  const readings = await streamReadings(
    new KinesisClient(config),
    local.stackOutputs.StreamName ?? '',
  );
  const thresholds = await detectorThresholds(
    new LambdaClient(config),
    local.stackOutputs.FunctionName ?? '',
  );
  mkdirSync(directory, { recursive: true });
  const svgPath = join(directory, 'readings.svg');
  writeFileSync(svgPath, await renderReadingsSvg(readings, excursions, thresholds));
  const perDevice = excursionsByDevice(readings, excursions);
  const fleet = Object.keys(perDevice).length > SMALL_MULTIPLES_MAX;
  return {
    summary: { svg: svgPath, readings: readings.length, excursionsByDevice: perDevice },
    text: [
      fleet
        ? `Excursions per device (${Object.keys(perDevice).length} devices; the SVG shows them all over time)`
        : `Readings per device (thresholds ${thresholds.coldBelowF} / ${thresholds.hotAboveF} °F as flat lines)`,
      fleet ? fleetLines(readings, excursions) : terminalChart(readings, thresholds),
      '',
      'Excursions',
      excursionTable(excursions),
      '',
      `Chart: ${svgPath}`,
    ].join('\n'),
  };
}

/** Every valid reading in the stream, from the start (records that are not readings are left out). */
async function streamReadings(kinesis: KinesisClient, stream: string): Promise<ChartReading[]> {
  const readings: ChartReading[] = [];
  for (const data of await readStream(kinesis, stream)) {
    const decoded = decodeReading(Buffer.from(data, 'utf8').toString('base64'));
    if (decoded.ok) readings.push(decoded.reading);
  }
  return readings;
}

async function detectorThresholds(lambda: LambdaClient, functionName: string): Promise<Thresholds> {
  const { Environment } = await lambda.send(
    new GetFunctionConfigurationCommand({ FunctionName: functionName }),
  );
  const variables = Environment?.Variables ?? {};
  return {
    coldBelowF: Number(variables.COLD_BELOW_F ?? DEFAULT_THRESHOLDS.coldBelowF),
    hotAboveF: Number(variables.HOT_ABOVE_F ?? DEFAULT_THRESHOLDS.hotAboveF),
  };
}
