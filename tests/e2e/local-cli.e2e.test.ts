import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { spanLabel, type Excursion } from '../../local-pipeline/report/excursions';
import { repoRoot, toolEnvironment } from '../../local-pipeline/emulator/tools';
import { labelsOfRole, marksNamed, parseSvg } from '../local-pipeline/report/svg';

// `npm run local` builds first; npm test has built the bundles before jest starts.
function local(args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, 'scripts', 'local.mjs'), ...args], {
    cwd: repoRoot,
    env: toolEnvironment(),
    encoding: 'utf8',
    timeout: 240_000,
  });
}

describe('npm run local', () => {
  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--readings', 'many'], '--readings "many" must be a whole number'],
    [['--readings'], "Option '--readings <value>' argument missing"],
    [['--devices', '0'], '--devices "0" must be a whole number from 1 to 500'],
    [['--devices', '501'], '--devices "501" must be a whole number from 1 to 500'],
  ])('rejects %j with exit 2, naming the flag', (args, message) => {
    const result = local(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('prints its help', () => {
    const result = local(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--readings N');
    expect(result.stdout).toContain('--devices N');
  });

  it('streams a fleet of 50 devices, charts it as devices × time and counts excursions per device', () => {
    const result = local(['--json', '--readings', '500', '--devices', '50']);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as {
      readings: { produced: number };
      excursions: Excursion[];
      chart: { svg: string; excursionsByDevice: Record<string, number> };
    };
    expect(report.readings.produced).toBe(500);
    const perDevice = report.chart.excursionsByDevice;
    expect(Object.keys(perDevice)).toHaveLength(50);
    expect(Object.keys(perDevice)[49]).toBe('DHT-050');
    expect(Object.values(perDevice).reduce((a, b) => a + b, 0)).toBe(report.excursions.length);
    const svg = parseSvg(readFileSync(report.chart.svg, 'utf8'));
    expect(marksNamed(svg, 'excursions').map((mark) => mark.label)).toEqual(
      report.excursions.map(spanLabel),
    );
    const rows = new Set(marksNamed(svg, 'cells').map((cell) => Math.round(cell.points[0]!.y)));
    expect(rows.size).toBe(50);
  });

  it('runs the whole pipeline and reports counts that agree with one another', () => {
    const result = local(['--json', '--readings', '400']);
    expect(result.stderr).not.toContain('failed at stage');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as {
      stages: { name: string; status: string }[];
      readings: { produced: number; byTheService: number; inStream: number };
      anomalies: {
        stored: number;
        byKind: Record<string, number>;
        byDevice: Record<string, number>;
      };
      excursions: Excursion[];
      alerts: { messages: number };
      deadLettered: number;
      lambda: { preTrafficChecks: number };
      deployment: { status: string; hooks: { event: string; status: string }[] };
      teardown: { status: string; backupArns: string[] };
      chart: { svg: string };
    };
    expect(report.stages.map((stage) => stage.status)).toEqual(report.stages.map(() => 'ok'));
    expect(report.readings.produced).toBe(400);
    expect(report.readings.inStream).toBe(report.readings.produced + report.readings.byTheService);
    const sum = (counts: Record<string, number>) =>
      Object.values(counts).reduce((a, b) => a + b, 0);
    expect(report.anomalies.stored).toBeGreaterThan(0);
    expect(sum(report.anomalies.byKind)).toBe(report.anomalies.stored);
    expect(sum(report.anomalies.byDevice)).toBe(report.anomalies.stored);
    expect(report.excursions.length).toBeGreaterThan(0);
    for (const excursion of report.excursions) {
      expect(excursion.deviceId).toBe('DHT-001');
      expect(['HOT', 'COLD']).toContain(excursion.kind);
      expect(excursion.start <= (excursion.end ?? excursion.start)).toBe(true);
      expect(excursion.peakF < 96 || excursion.peakF > 101).toBe(true);
    }
    expect(
      report.excursions.reduce((total, excursion) => total + excursion.anomalousReadings, 0),
    ).toBe(report.anomalies.stored);
    // An opening and a closing per excursion at most, fewer when one invocation holds several.
    expect(report.alerts.messages).toBeGreaterThan(0);
    expect(report.alerts.messages).toBeLessThanOrEqual(2 * report.excursions.length);
    // The sensor's readings dead-letter nothing; each release's check, its one poison record.
    expect(report.lambda.preTrafficChecks).toBe(1);
    expect(report.deadLettered).toBe(report.lambda.preTrafficChecks);
    expect(report.deployment.status).toBe('Succeeded');
    expect(report.deployment.hooks).toContainEqual({
      event: 'ValidateService',
      status: 'Succeeded',
    });
    expect(report.teardown.status).toBe('DELETE_COMPLETE');
    expect(report.teardown.backupArns).toHaveLength(1);
    // The SVG chart beside the JSON report: well-formed, one shaded span per excursion the
    // detector reported.
    expect(result.stderr).toContain(`✔ Chart the readings`);
    const svg = parseSvg(readFileSync(report.chart.svg, 'utf8'));
    expect(labelsOfRole(svg, 'rect mark')).toEqual(report.excursions.map(spanLabel));
    expect(
      JSON.parse(readFileSync(join(dirname(report.chart.svg), 'report.json'), 'utf8')),
    ).toEqual(report);
    // The text report (what `npm run local` prints without --json, kept beside the JSON one):
    // the terminal chart, the excursions table under it, then where the SVG is.
    const text = readFileSync(join(dirname(report.chart.svg), 'report.txt'), 'utf8');
    const chartAt = text.indexOf('Readings per device');
    const tableAt = text.indexOf('\nExcursions\ndevice   kind  start');
    expect(chartAt).toBeGreaterThan(-1);
    expect(text.slice(chartAt)).toMatch(/DHT-001 \(\d+ readings/);
    expect(tableAt).toBeGreaterThan(chartAt);
    for (const excursion of report.excursions)
      expect(text.slice(tableAt)).toContain(`${excursion.kind.padEnd(4)}  ${excursion.start}`);
    expect(text).toContain('drift.yml drift: succeeded (IN_SYNC)');
    expect(text.trimEnd().endsWith(`Chart: ${report.chart.svg}`)).toBe(true);
  });
});
