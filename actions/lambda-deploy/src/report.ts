import { table } from '../../shared/summary';
import { formatDuration } from '../../shared/wait';
import type { CodeResult } from './code';
import type { LambdaDeployInputs } from './inputs';
import type { LambdaDeployDeps } from './deps';
import { releaseFailure, type ReleaseOutcome } from './release';

interface Result {
  readonly code: CodeResult | undefined;
  readonly release: ReleaseOutcome | undefined;
  readonly started: number;
}

export async function report(
  deps: LambdaDeployDeps,
  inputs: LambdaDeployInputs,
  result: Result,
): Promise<void> {
  const { io } = deps;
  const { code, release } = result;
  const version = release?.version ?? code?.version ?? '';
  io.setOutput('version', version);
  io.setOutput('code-sha256', code?.codeSha256 ?? '');
  io.setOutput('changed', String(code?.changed ?? false));
  io.setOutput('alias', release?.alias ?? '');
  io.setOutput('previous-version', release?.previousVersion ?? '');
  io.setOutput('rolled-back', String(release?.kind === 'rolled-back'));
  const note = release?.kind === 'untouched' ? release : undefined;
  if (note?.noteIsWarning) io.warning(note.note);
  else if (note) io.info(note.note);
  const rows: [string, string][] = [
    ['Function', inputs.functionName],
    ['Version', version],
    ...releaseRows(release),
    ...codeRows(code),
    ['Took', formatDuration(deps.clock.now() - result.started)],
  ];
  const failure = release && releaseFailure(release);
  const notes = [
    code && !code.changed
      ? '_The deployed code already has this hash: no update, no new version._'
      : '',
    note ? `_${note.note}_` : '',
    failure ? `**${failure}**` : '',
    release?.check?.logTail
      ? `Log of the check's invocation:\n\n\`\`\`\n${release.check.logTail}\n\`\`\``
      : '',
  ].filter(Boolean);
  const heading = `## ${failure ? '❌' : '✅'} Lambda ${inputs.functionName}: ${headline(code, release)}`;
  await io.summary
    .addRaw(
      [heading, '', ...notes.flatMap((note) => [note, '']), table(['', ''], rows), ''].join('\n'),
    )
    .write();
}

function headline(code: CodeResult | undefined, release: ReleaseOutcome | undefined): string {
  if (release?.kind === 'rolled-back')
    return `version ${release.version} rolled back, ${release.alias} is on version ${release.previousVersion}`;
  if (release?.kind === 'check-failed')
    return `version ${release.version} failed its pre-traffic check, ${release.alias} stays on version ${release.previousVersion}`;
  if (release && releaseFailure(release))
    return `version ${release.version} not released to ${release.alias}`;
  if (release?.kind === 'released')
    return `version ${release.version} released to ${release.alias} (${release.method})`;
  if (code && !code.changed) return 'unchanged';
  if (release) return `${release.alias} unchanged`;
  if (code?.version === '$LATEST') return 'code updated ($LATEST, no version published)';
  return `version ${code?.version ?? '?'} published`;
}

function releaseRows(release: ReleaseOutcome | undefined): [string, string][] {
  if (!release) return [];
  const check = release.check;
  const shift = 'shift' in release ? release.shift : undefined;
  return [
    ['Alias', release.alias],
    ['Previous version', release.previousVersion],
    ['Traffic shift', release.method],
    [
      'Pre-traffic check',
      check ? `${check.passed ? 'passed' : 'failed'} (device ${check.deviceId})` : 'not run',
    ],
    ...(shift ? ([['CodeDeploy deployment', shift.deploymentId]] as [string, string][]) : []),
    ...(shift?.rollbackDeploymentId
      ? ([['Rollback deployment', shift.rollbackDeploymentId]] as [string, string][])
      : []),
    ['Rolled back', String(release.kind === 'rolled-back')],
  ];
}

function codeRows(code: CodeResult | undefined): [string, string][] {
  if (!code) return [['Code', 'not deployed (releasing an existing version)']];
  return [
    ['CodeSha256', `\`${code.codeSha256}\``],
    [
      'Package',
      `${(code.size / 1024).toFixed(1)} KiB from ${code.source === 'entry' ? 'esbuild bundle' : code.source}`,
    ],
  ];
}
