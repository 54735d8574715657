import type { LocalEnvironment } from '../local-environment';
import { LOCAL_VARS } from '../local-environment';
import { runJob, type JobRun, type StepResult } from '../workflows/workflow-runner';
import { changeBehindTheStacksBack } from './behind-the-back';
import { startFakeGitHub } from './fake-github';

export interface DriftCheck {
  /** One line per drift.yml job run: what it found or did. */
  readonly lines: string[];
  /** The last drift report's summary (the table a person reads). */
  readonly summary: string;
  readonly finalStatus: string;
}

const DRIFT_VARS = {
  ...LOCAL_VARS,
  AWS_DRIFT_ROLE_ARN: 'arn:aws:iam::123456789012:role/anomaly-detection-github-drift',
};

/**
 * drift.yml's jobs on the local stack. Plain: one drift check (in sync after a deploy). With
 * `handChanges`: the stream's retention and the function's timeout are changed by hand first, the
 * report shows them, the revert job puts them back, and a last check shows the stack in sync. The
 * issue calls go to a fake GitHub API on 127.0.0.1.
 */
export async function localDriftCheck(
  environment: LocalEnvironment,
  handChanges: boolean,
  onStep: (step: StepResult) => void,
): Promise<DriftCheck> {
  const github = await startFakeGitHub('octo-org/anomaly-pipeline', 'local-token');
  const job = (name: 'drift' | 'revert') =>
    runJob({
      workflow: 'drift.yml',
      job: name,
      vars: DRIFT_VARS,
      eventName: name === 'revert' ? 'workflow_dispatch' : 'schedule',
      inputs: { revert: name === 'revert' ? 'production' : 'none' },
      env: { ...environment.stepEnvironment(), GITHUB_API_URL: github.apiUrl },
      onStep,
    });
  const lines: string[] = [];
  try {
    if (handChanges) {
      await changeBehindTheStacksBack(environment.motoEndpoint, {
        streamName: environment.stackOutputs.StreamName ?? 'm03p02_raw_data_stream',
        retentionHours: 240,
        functionName: environment.stackOutputs.FunctionName ?? 'm03p02_anomaly_detector',
        timeoutSeconds: 120,
      });
      lines.push('Changed by hand: stream retention → 240 h, function timeout → 120 s');
      const drifted = await job('drift');
      lines.push(describe('drift', drifted), `  ${drifted.steps.at(-1)?.summary.trim() ?? ''}`);
      lines.push(describe('revert (REVERT_DRIFT)', await job('revert')));
    }
    const last = await job('drift');
    lines.push(describe('drift', last));
    const step = last.steps.find((s) => s.uses === './actions/cfn-drift');
    lines.push(
      `Drift issues: ${github.issues.map((i) => `#${i.number} ${i.state}`).join(', ') || 'none'}`,
    );
    return { lines, summary: step?.summary ?? '', finalStatus: step?.outputs.status ?? 'not run' };
  } finally {
    await github.stop();
  }
}

function describe(name: string, run: JobRun): string {
  const step = run.steps.find((s) => s.uses?.startsWith('./actions/'));
  const found = step?.outputs.status ?? step?.reason ?? '';
  return `drift.yml ${name}: ${run.status}${found ? ` (${found})` : ''}`;
}
