import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spanLabel } from '../../local-pipeline/report/excursions';
import { repoRoot, toolEnvironment } from '../../local-pipeline/emulator/tools';
import { marksNamed, parseSvg } from '../local-pipeline/report/svg';
import { expectFiguresAgree, expectTextReport, REPORT_DIR, type LocalReport } from './local-report';

// `npm run local` builds first; npm test has built the bundles before jest starts.
function local(args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, 'scripts', 'local.mjs'), ...args], {
    cwd: repoRoot,
    env: toolEnvironment(),
    encoding: 'utf8',
    timeout: 300_000,
  });
}

function runReport(args: string[]): { report: LocalReport; stderr: string } {
  const result = local(['--json', ...args]);
  expect(result.stderr).not.toContain('failed at stage');
  expect(result.status).toBe(0);
  const report = JSON.parse(result.stdout) as LocalReport;
  // The JSON report is also kept on disk, the text one beside it.
  expect(JSON.parse(readFileSync(join(REPORT_DIR, 'report.json'), 'utf8'))).toEqual(report);
  expect(report.stages.map((stage) => stage.status)).toEqual(report.stages.map(() => 'ok'));
  return { report, stderr: result.stderr };
}

const APPROVAL =
  "granted locally: npm run local stands in for the production environment's required reviewers";

describe('npm run local', () => {
  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--readings', 'many'], '--readings "many" must be a whole number'],
    [['--readings'], "Option '--readings <value>' argument missing"],
    [
      ['--environments', 'qa'],
      '--environments "qa": "qa" is not one of deploy.yml\'s environments',
    ],
    [['--environments', 'staging,staging'], 'names an environment twice'],
    [['--environments', 'production,staging'], "must follow deploy.yml's order"],
    [['--devices', '0'], '--devices "0" must be a whole number from 1 to 500'],
    [['--devices', '501'], '--devices "501" must be a whole number from 1 to 500'],
  ])('rejects %j with exit 2, naming the flag', (args, message) => {
    const result = local(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain('Start the emulator');
  });

  it('prints its help', () => {
    const result = local(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--readings N');
    expect(result.stdout).toContain('--environments LIST');
    expect(result.stdout).toContain('--devices N');
  });

  it('promotes one build through staging to production and reports both side by side', () => {
    const { report, stderr } = runReport(['--readings', '300']);

    // Both stacks, side by side on one account, each with figures that agree.
    expect(report.environments.map((e) => [e.environment, e.stack.name])).toEqual([
      ['staging', 'anomaly-detection-staging'],
      ['production', 'anomaly-detection'],
    ]);
    for (const figures of report.environments) expectFiguresAgree(figures, 300);
    const [staging, production] = report.environments;
    expect(staging?.readings.bySmokeCheck).toBe(1);
    expect(production?.readings.bySmokeCheck).toBe(0);

    // deploy.yml's order: the build once, staging with its smoke check, the approval, production.
    const stages = report.stages.map((stage) => stage.name);
    const order = [
      'Deploy workflow (deploy.yml), job build',
      'Deploy workflow (deploy.yml), job staging',
      'Approval of the production environment',
      'Deploy workflow (deploy.yml), job production',
    ].map((name) => stages.indexOf(name));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order[0]).toBeGreaterThan(-1);
    expect(report.stages.find((s) => s.name.startsWith('Approval'))?.detail).toBe(APPROVAL);
    expect(report.workflowSteps).toContainEqual({
      workflow: 'deploy.yml staging',
      step: 'Smoke check (a known reading lands as its anomaly)',
      status: 'succeeded',
      note: '',
    });
    expect(
      report.workflowSteps.filter(
        (s) =>
          s.step === 'Build (the detector bundle, and the producer into the CodeDeploy revision)',
      ),
    ).toHaveLength(1);

    // The same artifacts all along: the build's hashes, checked by each job, the same CodeSha256.
    const { build, jobs } = report.promotion;
    expect(build.lambdaSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(build.revisionSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(jobs.map((job) => [job.environment, job.approval])).toEqual([
      ['staging', 'none required'],
      ['production', APPROVAL],
    ]);
    for (const job of jobs) {
      expect(job.lambdaSha256).toBe(build.lambdaSha256);
      expect(job.revisionSha256).toBe(build.revisionSha256);
    }
    expect(jobs[0]?.codeSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(jobs[1]?.codeSha256).toBe(jobs[0]?.codeSha256);
    expect(production?.lambda.codeSha256).toBe(staging?.lambda.codeSha256);
    expect(stderr).toContain('✔ Chart the readings (production)');
    expectTextReport(report);
    const text = readFileSync(join(REPORT_DIR, 'report.txt'), 'utf8');
    expect(text).toContain(`production: approval`);
    expect(text).toContain(APPROVAL);
  });

  it('--environments production keeps the single-stack run', () => {
    const { report } = runReport(['--environments', 'production', '--readings', '200']);

    expect(report.environments.map((e) => [e.environment, e.stack.name])).toEqual([
      ['production', 'anomaly-detection'],
    ]);
    expectFiguresAgree(report.environments[0]!, 200);
    expect(report.environments[0]?.readings.bySmokeCheck).toBe(0);
    expect(report.stages.map((stage) => stage.name).filter((n) => n.includes('staging'))).toEqual(
      [],
    );
    expect(report.promotion.jobs.map((job) => job.environment)).toEqual(['production']);
    expect(report.promotion.jobs[0]?.lambdaSha256).toBe(report.promotion.build.lambdaSha256);
    expectTextReport(report);
    // The run ends with drift.yml's check of the deployed stack.
    expect(readFileSync(join(REPORT_DIR, 'report.txt'), 'utf8')).toContain(
      'drift.yml drift: succeeded (IN_SYNC)',
    );
  });

  it('streams a fleet of 50 devices, charts it as devices × time and counts excursions per device', () => {
    const { report } = runReport([
      '--environments',
      'production',
      '--readings',
      '500',
      '--devices',
      '50',
    ]);
    const production = report.environments[0]!;
    expect(production.readings.produced).toBe(500);
    const perDevice = production.chart.excursionsByDevice;
    expect(Object.keys(perDevice)).toHaveLength(50);
    expect(Object.keys(perDevice)[49]).toBe('DHT-050');
    expect(Object.values(perDevice).reduce((a, b) => a + b, 0)).toBe(production.excursions.length);
    const svg = parseSvg(readFileSync(production.chart.svg, 'utf8'));
    expect(marksNamed(svg, 'excursions').map((mark) => mark.label)).toEqual(
      production.excursions.map(spanLabel),
    );
    const rows = new Set(marksNamed(svg, 'cells').map((cell) => Math.round(cell.points[0]!.y)));
    expect(rows.size).toBe(50);
  });
});
