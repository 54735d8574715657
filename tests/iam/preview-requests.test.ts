import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../local-pipeline/emulator/tools';
import { decide } from './proof';
import { ONLY_WITH_AN_INPUT_THE_PREVIEW_OMITS, previewCalls } from './preview-requests';
import { previewRoleRequests } from './role-requests';
import { loadStacks } from './stacks';

// The preview role's requests come from the preview's code: what its path reaches, no more, and a
// request added to that code (directly or in a module it reaches) without a permission fails.
const stacks = loadStacks();
const operations = (calls = previewCalls()) =>
  calls.map((call) => `${call.service}:${call.operation}`);
const source = (file: string) => readFileSync(join(repoRoot, file), 'utf8');

/** The requests of the preview's code, with one file's text replaced, that the role refuses. */
async function refusedWith(file: string, text: string): Promise<string[]> {
  const refused: string[] = [];
  for (const [name, request] of previewRoleRequests(stacks, previewCalls({ [file]: text })))
    if ((await decide(stacks, stacks.previewRole, request)) !== 'Allowed') refused.push(name);
  return refused;
}

/** The file with an import of `command` from the CloudFormation client and `line` after `anchor`. */
function withRequest(file: string, command: string, anchor: string, line: string): string {
  const text = source(file);
  if (!text.includes(anchor)) throw new Error(`${file} no longer contains ${anchor}`);
  return `import { ${command} } from '@aws-sdk/client-cloudformation';\n${text.replace(anchor, `${anchor}\n${line}`)}`;
}

describe("the preview role's requests, from the preview's code", () => {
  it("reaches the preview's reads and change-set calls, never the deploy path's", () => {
    expect(operations()).toEqual(
      expect.arrayContaining([
        'cloudformation:DescribeStacks',
        'cloudformation:GetTemplate',
        'cloudformation:CreateChangeSet',
        'cloudformation:DescribeChangeSet',
        'cloudformation:DeleteChangeSet',
      ]),
    );
    for (const deployOnly of [
      'cloudformation:ExecuteChangeSet',
      'cloudformation:DeleteStack',
      'cloudformation:UpdateTerminationProtection',
      'cloudformation:ListChangeSets',
    ])
      expect(operations()).not.toContain(deployOnly);
  });

  it('leaves out only calls the preview reaches, and only with an input its job does not give', () => {
    expect(operations()).toEqual(
      expect.arrayContaining(Object.keys(ONLY_WITH_AN_INPUT_THE_PREVIEW_OMITS)),
    );
    const jobs = (
      parse(source('.github/workflows/pr.yml')) as {
        jobs: Record<string, { steps?: { uses?: string; with?: Record<string, string> }[] }>;
      }
    ).jobs;
    const previews = Object.values(jobs)
      .flatMap((job) => job.steps ?? [])
      .filter((step) => step.uses === './actions/cfn-deploy' && step.with?.execute === 'false');
    expect(previews).toHaveLength(1);
    expect(Object.keys(previews[0]!.with!)).not.toContain('s3-bucket');
  });

  it('fails when preview.ts sends a request the role does not allow', async () => {
    const file = 'actions/cfn-deploy/src/preview.ts';
    const changed = withRequest(
      file,
      'ExecuteChangeSetCommand',
      'const { changeSet } = outcome;',
      '  await deps.cloudformation.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSet.id }));',
    );
    expect(await refusedWith(file, source(file))).toEqual([]);
    expect(await refusedWith(file, changed)).toEqual([
      expect.stringMatching(/^cloudformation:ExecuteChangeSet → /),
    ]);
  });

  it('fails when a module the preview reaches sends one (plan.ts, through planStack)', async () => {
    const file = 'actions/cfn-deploy/src/plan.ts';
    const changed = withRequest(
      file,
      'UpdateTerminationProtectionCommand',
      "  if (!stack) return { kind: 'create' };",
      '  await deps.cloudformation.send(new UpdateTerminationProtectionCommand({ StackName: inputs.stackName, EnableTerminationProtection: true }));',
    );
    expect(await refusedWith(file, changed)).toEqual([
      expect.stringMatching(/^cloudformation:UpdateTerminationProtection → /),
    ]);
  });

  it('does not count a request added to the deploy path only (act.ts)', () => {
    const file = 'actions/cfn-deploy/src/act.ts';
    const changed = withRequest(
      file,
      'DeleteStackCommand',
      "  const type = stack ? 'UPDATE' : 'CREATE';",
      '  await deps.cloudformation.send(new DeleteStackCommand({ StackName: inputs.stackName }));',
    );
    expect(operations(previewCalls({ [file]: changed }))).toEqual(operations());
  });
});
