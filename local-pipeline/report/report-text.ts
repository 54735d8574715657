import type { Report } from './report';

/** The text of the `npm run local` report (the JSON one is the Report itself). */

const rows = (pairs: [string, string | number][]) =>
  pairs.map(([key, value]) => `  ${key.padEnd(34)} ${String(value)}`).join('\n');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export function formatReport(report: Report, outputs: Record<string, string>): string {
  return [
    '',
    '═══ Local pipeline report ═══',
    '',
    'Stages',
    ...report.stages.map(
      (s) =>
        `  ${s.status === 'ok' ? '✔' : s.status === 'skipped' ? '–' : '✖'} ${s.name.padEnd(58)} ${seconds(s.durationMs).padStart(7)}  ${s.detail}`,
    ),
    '',
    'Workflow steps',
    ...report.workflowSteps.map(
      (s) =>
        `  ${s.status.padEnd(9)} ${s.workflow.padEnd(13)} ${s.step}${s.note ? `  (${s.note.split('\n')[0] ?? ''})` : ''}`,
    ),
    '',
    `Stack ${report.stack.name}: ${report.stack.resources.length} resources`,
    ...report.stack.resources.map(
      (r) => `  ${r.logicalId.padEnd(30)} ${r.type.padEnd(40)} ${r.status}`,
    ),
    '',
    'Stack outputs',
    rows(Object.entries(outputs)),
    '',
    'Results',
    rows(resultRows(report)),
    // The excursions are listed under the chart (run-chart.ts), which follows this text.
    '',
  ].join('\n');
}

/** The Results section: what the run did, one line each. */
function resultRows(report: Report): [string, string | number][] {
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
