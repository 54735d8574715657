import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import { ConfigurationError, StateError } from '../../actions/shared/errors';
import { run } from '../../bootstrap/src/main';
import { cfn, recordedDeps, resetAws } from './fixtures';

const ARGS = ['--repo', 'octo/pipe', '--environment', 'staging', '--set-github-variables'];
const NAME = 'anomaly-detection-staging-bootstrap';
const missing = Object.assign(new Error(`Stack with id ${NAME} does not exist`), {
  name: 'ValidationError',
});

function plannedCreate(): void {
  cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs-1' });
  cfn.on(DescribeChangeSetCommand).resolves({
    ChangeSetId: 'cs-1',
    ChangeSetName: 'bootstrap-x',
    Status: 'CREATE_COMPLETE',
    Changes: [
      {
        ResourceChange: {
          Action: 'Add',
          LogicalResourceId: 'DeployRole',
          ResourceType: 'AWS::IAM::Role',
        },
      },
    ],
  });
}

beforeEach(() => {
  resetAws();
});

describe('npm run bootstrap: run(deps)', () => {
  it('reports a failed stack with its failed resources and writes nothing to GitHub', async () => {
    // Prepare
    plannedCreate();
    cfn
      .on(DescribeStacksCommand)
      .rejectsOnce(missing)
      .resolves({
        Stacks: [{ StackName: NAME, StackStatus: 'ROLLBACK_COMPLETE', CreationTime: new Date() }],
      });
    cfn.on(ExecuteChangeSetCommand).resolves({});
    cfn.on(DescribeStackEventsCommand).callsFake((input: { StackName: string }) => ({
      StackEvents: [
        {
          EventId: '2',
          StackName: input.StackName,
          LogicalResourceId: NAME,
          ResourceStatus: 'ROLLBACK_COMPLETE',
          ClientRequestToken: 'bootstrap-lfls',
          Timestamp: new Date(),
        },
        {
          EventId: '1',
          StackName: input.StackName,
          LogicalResourceId: 'DeployRole',
          ResourceType: 'AWS::IAM::Role',
          ResourceStatus: 'CREATE_FAILED',
          ResourceStatusReason: 'Role anomaly-detection-staging-github-deploy already exists',
          ClientRequestToken: 'bootstrap-lfls',
          Timestamp: new Date(),
        },
      ],
    }));
    const recorded = recordedDeps([...ARGS, '--yes']);

    // Act
    const result = run(recorded.deps);

    // Assess
    await expect(result).rejects.toThrow(StateError);
    await expect(result).rejects.toThrow(
      `Stack ${NAME} failed and was rolled back (ROLLBACK_COMPLETE); 1 resource(s) failed`,
    );
    expect(recorded.log).toContain(
      'error: DeployRole (AWS::IAM::Role) CREATE_FAILED: Role anomaly-detection-staging-github-deploy already exists',
    );
    expect(recorded.github.filter((call) => !call.route.startsWith('GET '))).toEqual([]);
    expect(recorded.printed).toEqual([]);
  });

  it('refuses to execute without a terminal or --yes, and deletes what it planned', async () => {
    // Prepare
    plannedCreate();
    cfn.on(DescribeStacksCommand).rejects(missing);
    const recorded = recordedDeps(ARGS, { interactive: false });

    // Act
    const result = run(recorded.deps);

    // Assess
    await expect(result).rejects.toThrow(
      'there is no terminal to ask on; review the plan above and run again with --yes',
    );
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(1);
  });

  it('executes nothing when the person at the terminal declines', async () => {
    // Prepare
    plannedCreate();
    cfn.on(DescribeStacksCommand).rejects(missing);
    const recorded = recordedDeps(ARGS, { interactive: true, answer: false });

    // Act
    const result = run(recorded.deps);

    // Assess
    await expect(result).rejects.toThrow('Not executed: you declined');
    expect(recorded.log.join('\n')).toMatch(/Add +DeployRole +AWS::IAM::Role/);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
  });

  it('asks production for reviewers before changing anything', async () => {
    // Prepare
    const recorded = recordedDeps([
      '--repo',
      'octo/pipe',
      '--environment',
      'production',
      '--set-github-variables',
      '--yes',
    ]);

    // Act
    const result = run(recorded.deps);

    // Assess
    await expect(result).rejects.toThrow(ConfigurationError);
    await expect(result).rejects.toThrow(
      'The production environment has no required reviewers: pass --reviewers',
    );
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });

  it('needs a GitHub token for --set-github-variables before any AWS call', async () => {
    // Prepare
    const recorded = recordedDeps(ARGS);
    const deps = { ...recorded.deps, githubToken: () => Promise.resolve(undefined) };

    // Act
    const result = run(deps);

    // Assess
    await expect(result).rejects.toThrow(
      '--set-github-variables needs a GitHub token: set GITHUB_TOKEN, or sign in with the GitHub CLI',
    );
    expect(cfn.calls()).toHaveLength(0);
  });

  it('needs a region when neither --region nor the SDK chain names one', async () => {
    // Prepare
    const recorded = recordedDeps(['--repo', 'octo/pipe', '--environment', 'staging']);
    const deps = { ...recorded.deps, defaultRegion: () => Promise.resolve(undefined) };

    // Act
    const result = run(deps);

    // Assess
    await expect(result).rejects.toThrow('No region: pass --region R, or set AWS_REGION');
  });
});
