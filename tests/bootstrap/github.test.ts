import { githubWrites, type GitHubState } from '../../bootstrap/src/github';
import { StateError } from '../../actions/shared/errors';
import { parseCommand, type BootstrapOptions } from '../../bootstrap/src/options';
import {
  ghCommands,
  githubTargets,
  shellWord,
  type GitHubEnvironmentTarget,
} from '../../bootstrap/src/variables';

const repository = { owner: 'octo', repo: 'pipe' };
const target: GitHubEnvironmentTarget = {
  name: 'production',
  reviewers: ['alice'],
  variables: { AWS_REGION: 'eu-west-1', STACK_NAME: 'anomaly-detection' },
};

const state = (reviewerIds: number[], variables: Record<string, string>): GitHubState => ({
  environments: new Map([
    ['production', { exists: true, reviewerIds, variables: new Map(Object.entries(variables)) }],
  ]),
  userIds: new Map([['alice', 42]]),
});

describe('npm run bootstrap: what GitHub is sent', () => {
  it('writes nothing when the environment holds it all already', () => {
    // Act
    const writes = githubWrites(
      repository,
      state([42], { AWS_REGION: 'eu-west-1', STACK_NAME: 'anomaly-detection', OTHER: 'kept' }),
      [target],
    );

    // Assess
    expect(writes).toEqual([]);
  });

  it('sets the reviewers, updates a changed variable and creates a missing one', () => {
    // Act
    const writes = githubWrites(repository, state([7], { AWS_REGION: 'us-east-1' }), [target]);

    // Assess
    expect(writes.map((write) => [write.route, write.parameters])).toEqual([
      [
        'PUT /repos/{owner}/{repo}/environments/{environment_name}',
        { ...repository, environment_name: 'production', reviewers: [{ type: 'User', id: 42 }] },
      ],
      [
        'PATCH /repos/{owner}/{repo}/environments/{environment_name}/variables/{name}',
        { ...repository, environment_name: 'production', name: 'AWS_REGION', value: 'eu-west-1' },
      ],
      [
        'POST /repos/{owner}/{repo}/environments/{environment_name}/variables',
        {
          ...repository,
          environment_name: 'production',
          name: 'STACK_NAME',
          value: 'anomaly-detection',
        },
      ],
    ]);
  });

  it('creates a missing environment without touching reviewers it was not given', () => {
    // Act
    const writes = githubWrites(repository, { environments: new Map(), userIds: new Map() }, [
      { name: 'preview', reviewers: undefined, variables: {} },
    ]);

    // Assess
    expect(writes).toEqual([
      {
        route: 'PUT /repos/{owner}/{repo}/environments/{environment_name}',
        parameters: { ...repository, environment_name: 'preview' },
        what: 'create environment preview',
      },
    ]);
  });

  it('prints gh commands that quote what the shell would split', () => {
    // Act
    const lines = ghCommands('octo/pipe', [
      {
        name: 'staging',
        reviewers: undefined,
        variables: { ALERT_EMAIL: "o'hara+alerts@example.com" },
      },
    ]);

    // Assess
    expect(lines).toEqual([
      'gh api --method PUT repos/octo/pipe/environments/staging --silent',
      `gh variable set ALERT_EMAIL --env staging --body 'o'\\''hara+alerts@example.com' --repo octo/pipe`,
    ]);
    expect(shellWord('arn:aws:iam::1:role/x')).toBe('arn:aws:iam::1:role/x');
  });

  it('refuses a stack without the roles the environment needs, naming the missing output', () => {
    // Prepare
    const options = optionsOf('--environment', 'qa');
    const outputs = { DeployRoleArn: 'arn:deploy', PreviewRoleArn: 'arn:preview' };

    // Act
    const targets = () => githubTargets(options, 'eu-west-1', 'qa-bootstrap', outputs);

    // Assess
    expect(targets).toThrow(
      new StateError(
        'Stack qa-bootstrap has no output ExecutionRoleArn: is it the bootstrap template?',
      ),
    );
    expect(() => githubTargets(options, 'eu-west-1', 'qa-bootstrap', {})).toThrow(
      'has no output PreviewRoleArn',
    );
  });

  it('leaves out the drift environment when the stack has no drift role', () => {
    // Act
    const targets = githubTargets(
      optionsOf('--environment', 'qa', '--reviewers', 'alice'),
      'eu-west-1',
      'b',
      {
        DeployRoleArn: 'arn:deploy',
        ExecutionRoleArn: 'arn:execution',
        PreviewRoleArn: 'arn:preview',
      },
    );

    // Assess
    expect(targets).toEqual([
      {
        name: 'qa',
        reviewers: ['alice'],
        variables: {
          AWS_DEPLOY_ROLE_ARN: 'arn:deploy',
          AWS_CFN_EXECUTION_ROLE_ARN: 'arn:execution',
          AWS_PREVIEW_ROLE_ARN: 'arn:preview',
          AWS_REGION: 'eu-west-1',
          STACK_NAME: 'anomaly-detection-qa',
        },
      },
    ]);
  });
});

function optionsOf(...argv: string[]): BootstrapOptions {
  const command = parseCommand(['--repo', 'octo/pipe', ...argv]);
  if (command.kind !== 'run') throw new Error('not a run');
  return command.options;
}
