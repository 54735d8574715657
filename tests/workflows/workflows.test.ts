import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../local-pipeline/emulator/tools';
import { runTool } from '../support/python-tools';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string> | string;
  environment?: unknown;
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown> | string | string[];
  permissions?: Record<string, string> | string;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean | string };
  jobs: Record<string, Job>;
}

const directory = join(repoRoot, '.github', 'workflows');
const files = readdirSync(directory).filter((name) => /\.ya?ml$/.test(name));
const workflows = files.map((name) => {
  const text = readFileSync(join(directory, name), 'utf8');
  return { name, text, workflow: parse(text) as Workflow };
});
const steps = (workflow: Workflow) =>
  Object.values(workflow.jobs).flatMap((job) => job.steps ?? []);
const triggers = (workflow: Workflow) =>
  typeof workflow.on === 'string'
    ? [workflow.on]
    : Array.isArray(workflow.on)
      ? workflow.on
      : Object.keys(workflow.on);

describe('workflow house style', () => {
  it('has the pull-request workflow', () => {
    expect(files).toContain('pr.yml');
  });

  describe.each(workflows)('$name', ({ name, workflow }) => {
    it('grants only contents: read at the top', () => {
      expect(workflow.permissions).toEqual({ contents: 'read' });
    });

    it('asks for id-token: write only in jobs with an environment', () => {
      for (const [jobName, job] of Object.entries(workflow.jobs)) {
        if (typeof job.permissions === 'object' && job.permissions['id-token'] === 'write') {
          expect(`${jobName}: ${job.environment ? 'has' : 'has no'} environment`).toBe(
            `${jobName}: has environment`,
          );
        }
      }
    });

    // The pin rule (every third-party action by full SHA, every job's permissions): pins.test.ts.

    it('never uses pull_request_target', () => {
      expect(triggers(workflow)).not.toContain('pull_request_target');
    });

    it('expands no ${{ }} expression inside run: scripts (values go through env:)', () => {
      for (const step of steps(workflow)) {
        if (step.run) expect(`${name}: ${step.run}`).not.toMatch(/\$\{\{/);
      }
    });

    it('does not leave checkout credentials behind', () => {
      for (const step of steps(workflow).filter((s) => s.uses?.startsWith('actions/checkout@'))) {
        expect(step.with?.['persist-credentials']).toBe(false);
      }
    });

    if (name === 'teardown.yml' || name === 'rollback.yml') {
      // Per environment (promotion.test.ts checks deploy.yml's jobs use the same groups).
      it("shares its environment's concurrency group and never cancels a running change", () => {
        expect(workflow.concurrency).toEqual({
          group: 'anomaly-detection-aws-${{ inputs.environment }}',
          'cancel-in-progress': false,
        });
      });
    }
  });
});

describe('workflow linters', () => {
  it('actionlint reports nothing', () => {
    const result = runTool('actionlint', ['-no-color']);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('zizmor reports nothing at any severity, in the workflows or dependabot.yml', () => {
    const result = runTool('zizmor', [
      '--offline',
      '--min-severity',
      'informational',
      '--format',
      'json',
      '.github/workflows',
      '.github/dependabot.yml',
    ]);
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(result.status).toBe(0);
  });
});
