import type { Report, Stage } from './report';
import type { StepResult } from '../workflows/workflow-runner';

/** A stage of `npm run local` that failed: the run stops, the report names it. */
export class StageFailed extends Error {}

export const progress = (line: string) => process.stderr.write(`${line}\n`);

/** What the run did so far, stage by stage and workflow step by step, shown as it happens. */
export class RunLog {
  readonly stages: Stage[] = [];
  readonly workflowSteps: Report['workflowSteps'] = [];

  async stage<T>(
    name: string,
    body: () => Promise<T>,
    describe: (result: T) => string,
  ): Promise<T> {
    progress(`▶ ${name}…`);
    const started = Date.now();
    try {
      const result = await body();
      const entry: Stage = {
        name,
        status: 'ok',
        durationMs: Date.now() - started,
        detail: describe(result),
      };
      this.stages.push(entry);
      progress(`✔ ${name} (${(entry.durationMs / 1000).toFixed(1)}s): ${entry.detail}`);
      return result;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.stages.push({ name, status: 'failed', durationMs: Date.now() - started, detail });
      progress(`✖ ${name} failed: ${detail}`);
      throw new StageFailed(name);
    }
  }

  onStep(workflow: string): (step: StepResult) => void {
    return (step) => {
      this.workflowSteps.push({
        workflow,
        step: step.name,
        status: step.status,
        note: step.reason ?? '',
      });
      progress(
        `    ${step.status === 'succeeded' ? '✔' : step.status === 'skipped' ? '–' : '✖'} ${step.name}${step.reason ? ` (${step.status === 'skipped' ? 'skipped: ' : ''}${step.reason.split('\n')[0] ?? ''})` : ''}`,
      );
    };
  }
}
