import type { EnvironmentReport, Report } from './report';

/** The text of the `npm run local` report (the JSON one is the Report itself). */

const rows = (pairs: [string, string | number][]) =>
  pairs.map(([key, value]) => `  ${key.padEnd(38)} ${String(value)}`).join('\n');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** The whole report; `charts` holds each environment's chart text, which follows its results. */
export function formatReport(report: Report, charts: ReadonlyMap<string, string>): string {
  return [
    '',
    '═══ Local pipeline report ═══',
    '',
    'Stages',
    ...report.stages.map(
      (s) =>
        `  ${s.status === 'ok' ? '✔' : s.status === 'skipped' ? '–' : '✖'} ${s.name.padEnd(72)} ${seconds(s.durationMs).padStart(7)}  ${s.detail}`,
    ),
    '',
    'Workflow steps',
    ...report.workflowSteps.map(
      (s) =>
        `  ${s.status.padEnd(9)} ${s.workflow.padEnd(24)} ${s.step}${s.note ? `  (${s.note.split('\n')[0] ?? ''})` : ''}`,
    ),
    ...promotionLines(report),
    ...report.environments.flatMap((figures) => [
      ...environmentLines(figures),
      // The excursions are listed under the chart (run-chart.ts).
      charts.get(figures.environment) ?? '',
    ]),
    '',
  ].join('\n');
}

/** The build's hashes and what each environment's job deployed of them. */
function promotionLines(report: Report): string[] {
  if (!report.promotion) return [];
  const { build, jobs } = report.promotion;
  return [
    '',
    'Promotion (deploy.yml: build once, then each environment with the same artifacts)',
    rows([
      ['build: detector bundle (tree)', build.lambdaSha256],
      ['build: producer revision (tree)', build.revisionSha256],
      ...jobs.flatMap((job): [string, string][] => [
        [`${job.environment}: detector bundle (tree)`, job.lambdaSha256],
        [`${job.environment}: producer revision (tree)`, job.revisionSha256],
        [`${job.environment}: Lambda CodeSha256`, job.codeSha256],
        [`${job.environment}: approval`, job.approval],
      ]),
    ]),
  ];
}

function environmentLines(figures: EnvironmentReport): string[] {
  return [
    '',
    `═══ Environment ${figures.environment} ═══`,
    '',
    `Stack ${figures.stack.name}: ${figures.stack.resources.length} resources`,
    ...figures.stack.resources.map(
      (r) => `  ${r.logicalId.padEnd(30)} ${r.type.padEnd(40)} ${r.status}`,
    ),
    '',
    'Stack outputs',
    rows(Object.entries(figures.stack.outputs)),
    '',
    'Results',
    rows(resultRows(figures)),
    '',
  ];
}

/** The Results section: what the run did, one line each. */
function resultRows(report: EnvironmentReport): [string, string | number][] {
  const counts = (byKey: Record<string, number>) =>
    Object.entries(byKey)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  return [
    ['Lambda version', `${report.lambda.version} (CodeSha256 ${report.lambda.codeSha256})`],
    ['CodeDeploy deployment', `${report.deployment.id} ${report.deployment.status}`],
    ['  hooks', report.deployment.hooks.map((hook) => `${hook.event}:${hook.status}`).join(' ')],
    [
      'Readings produced (producer run)',
      `${report.readings.produced} in ${report.readings.putRecordsCalls} PutRecords calls`,
    ],
    ['Readings by the validated service', report.readings.byTheService],
    ['Readings by the smoke check', report.readings.bySmokeCheck],
    ['Records in the stream', report.readings.inStream],
    [
      'Detector invocations',
      `${report.detector.invocations} (${report.detector.redeliveries} redeliveries, ${report.detector.batchesSentToOnFailure} batches to on-failure)`,
    ],
    ['Anomalies stored', report.anomalies.stored],
    ['  by kind', counts(report.anomalies.byKind)],
    ['  by device', counts(report.anomalies.byDevice)],
    ['Excursions found', report.excursions.length],
    ['Alert messages sent', report.alerts.messages],
    [
      'Records dead-lettered',
      `${report.deadLettered} (${report.lambda.preTrafficChecks} by the release's pre-traffic check)`,
    ],
    [
      'Teardown',
      report.teardown
        ? `${report.teardown.status}; kept backup ${report.teardown.backupArns.join(', ')}`
        : 'skipped (--keep)',
    ],
  ];
}
