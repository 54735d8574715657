import { ConfigurationError } from '../../shared/errors';
import { publishResult } from '../../shared/publish';
import { runAction } from '../../shared/run';
import type { CfnLintDeps } from './deps';
import { getInputs } from './inputs';
import { countsOf, fails, findTemplates, lint } from './lint';
import { annotate, summaryOf } from './report';

export type { CfnLintDeps, CfnLintRun } from './deps';

export function run(deps: CfnLintDeps): Promise<void> {
  const { io } = deps;
  return runAction(io, async () => {
    const inputs = getInputs(io);
    const templates = await findTemplates(inputs.templatePatterns, deps);
    io.info(`Linting ${templates.length} template(s): ${templates.join(', ')}`);
    const findings = await lint(templates, deps);
    annotate(findings, io);
    const counts = countsOf(findings);
    const failing = findings.filter((finding) => fails(finding, inputs.failOn));
    await publishResult(
      io,
      { errors: String(counts.errors), warnings: String(counts.warnings) },
      summaryOf(templates, findings, counts, inputs.failOn, failing.length === 0),
    );
    const verdict = `cfn-lint: ${counts.errors} error(s), ${counts.warnings} warning(s), ${counts.informational} informational in ${templates.length} template(s)`;
    // The templates are the user's to fix: reported above, failed through the shared runner.
    if (failing.length > 0)
      throw new ConfigurationError(
        `${verdict}; failing on ${inputs.failOn} and above (fail-on: ${inputs.failOn}).`,
      );
    io.info(verdict);
  });
}
