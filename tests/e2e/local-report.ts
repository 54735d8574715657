import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spanLabel, type Excursion } from '../../local-pipeline/report/excursions';
import { repoRoot } from '../../local-pipeline/emulator/tools';
import { labelsOfRole, parseSvg } from '../local-pipeline/report/svg';

/** The JSON report of `npm run local`, as far as the e2e test reads it. */
export interface Figures {
  environment: string;
  stack: { name: string };
  readings: { produced: number; byTheService: number; bySmokeCheck: number; inStream: number };
  anomalies: { stored: number; byKind: Record<string, number>; byDevice: Record<string, number> };
  excursions: Excursion[];
  alerts: { messages: number };
  deadLettered: number;
  lambda: { codeSha256: string; preTrafficChecks: number };
  deployment: { status: string; hooks: { event: string; status: string }[] };
  teardown: { status: string; backupArns: string[] };
  chart: { svg: string; excursionsByDevice: Record<string, number> };
}

export interface LocalReport {
  stages: { name: string; status: string; detail: string }[];
  workflowSteps: { workflow: string; step: string; status: string }[];
  promotion: {
    build: { lambdaSha256: string; revisionSha256: string };
    jobs: {
      environment: string;
      stackName: string;
      lambdaSha256: string;
      revisionSha256: string;
      codeSha256: string;
      approval: string;
    }[];
  };
  environments: Figures[];
}

export const REPORT_DIR = join(repoRoot, '.local', 'report');

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** One environment's figures agree with one another and with what the producer sent. */
export function expectFiguresAgree(figures: Figures, produced: number): void {
  expect(figures.readings.produced).toBe(produced);
  expect(figures.readings.inStream).toBe(
    figures.readings.produced + figures.readings.byTheService + figures.readings.bySmokeCheck,
  );
  expect(figures.anomalies.stored).toBeGreaterThan(0);
  expect(sum(figures.anomalies.byKind)).toBe(figures.anomalies.stored);
  expect(sum(figures.anomalies.byDevice)).toBe(figures.anomalies.stored);
  expect(figures.excursions.length).toBeGreaterThan(0);
  for (const excursion of figures.excursions) {
    expect(excursion.deviceId).toBe('DHT-001');
    expect(['HOT', 'COLD']).toContain(excursion.kind);
    expect(excursion.start <= (excursion.end ?? excursion.start)).toBe(true);
    expect(excursion.peakF < 96 || excursion.peakF > 101).toBe(true);
  }
  expect(
    figures.excursions.reduce((total, excursion) => total + excursion.anomalousReadings, 0),
  ).toBe(figures.anomalies.stored);
  // An opening and a closing per excursion at most, fewer when one invocation holds several.
  expect(figures.alerts.messages).toBeGreaterThan(0);
  expect(figures.alerts.messages).toBeLessThanOrEqual(2 * figures.excursions.length);
  // The sensor's readings dead-letter nothing; each release's check, its one poison record.
  expect(figures.lambda.preTrafficChecks).toBe(1);
  expect(figures.deadLettered).toBe(figures.lambda.preTrafficChecks);
  expect(figures.deployment.status).toBe('Succeeded');
  expect(figures.deployment.hooks).toContainEqual({
    event: 'ValidateService',
    status: 'Succeeded',
  });
  expect(figures.teardown.status).toBe('DELETE_COMPLETE');
  expect(figures.teardown.backupArns).toHaveLength(1);
  // The SVG chart: well-formed, one shaded span per excursion the detector reported.
  expect(figures.chart.svg).toBe(join(REPORT_DIR, figures.environment, 'readings.svg'));
  const svg = parseSvg(readFileSync(figures.chart.svg, 'utf8'));
  expect(labelsOfRole(svg, 'rect mark')).toEqual(figures.excursions.map(spanLabel));
}

/**
 * The text report kept beside the JSON one: each environment's results, then its terminal
 * chart, the excursions table under it and where the SVG is; the last environment's ends it.
 */
export function expectTextReport(report: LocalReport): void {
  const text = readFileSync(join(REPORT_DIR, 'report.txt'), 'utf8');
  let from = 0;
  for (const figures of report.environments) {
    const at = text.indexOf(`═══ Environment ${figures.environment} ═══`, from);
    expect(at).toBeGreaterThanOrEqual(from);
    const chartAt = text.indexOf('Readings per device', at);
    const tableAt = text.indexOf('\nExcursions\ndevice   kind  start', chartAt);
    const svgAt = text.indexOf(`Chart: ${figures.chart.svg}`, tableAt);
    expect(chartAt).toBeGreaterThan(at);
    expect(text.slice(chartAt)).toMatch(/DHT-001 \(\d+ readings/);
    expect(tableAt).toBeGreaterThan(chartAt);
    expect(svgAt).toBeGreaterThan(tableAt);
    for (const excursion of figures.excursions)
      expect(text.slice(tableAt, svgAt)).toContain(
        `${excursion.kind.padEnd(4)}  ${excursion.start}`,
      );
    from = svgAt;
  }
  expect(text.trimEnd().endsWith(`Chart: ${report.environments.at(-1)?.chart.svg}`)).toBe(true);
}
