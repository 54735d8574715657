import { ConfigurationError } from '../../actions/shared/errors';
import { parseCommand } from '../../bootstrap/src/options';
import { HELP } from '../../bootstrap/src/help';

const base = ['--repo', 'octo-org/anomaly-pipeline', '--environment', 'staging'];

describe('npm run bootstrap: flags', () => {
  it('reads every flag', () => {
    // Act
    const command = parseCommand([
      ...base,
      '--region',
      'eu-west-1',
      '--account-id',
      '123456789012',
      '--reviewers',
      'alice, bob,alice',
      '--alert-email',
      'oncall@example.com',
      '--set-github-variables',
      '--yes',
      '--dry-run',
    ]);

    // Assess
    expect(command).toEqual({
      kind: 'run',
      options: {
        owner: 'octo-org',
        repository: 'anomaly-pipeline',
        environment: 'staging',
        region: 'eu-west-1',
        accountId: '123456789012',
        reviewers: ['alice', 'bob'],
        alertEmail: 'oncall@example.com',
        setGithubVariables: true,
        yes: true,
        dryRun: true,
      },
    });
  });

  it('leaves what is not given to the defaults', () => {
    // Act
    const command = parseCommand(base);

    // Assess
    expect(command).toMatchObject({
      options: {
        region: undefined,
        accountId: undefined,
        reviewers: [],
        alertEmail: undefined,
        setGithubVariables: false,
        yes: false,
        dryRun: false,
      },
    });
  });

  it('answers --help (and -h) with text naming every flag', () => {
    // Act
    const commands = [parseCommand(['--help']), parseCommand(['-h', '--repo', 'x'])];

    // Assess
    expect(commands).toEqual([{ kind: 'help' }, { kind: 'help' }]);
    for (const flag of [
      '--repo',
      '--environment',
      '--region',
      '--account-id',
      '--reviewers',
      '--alert-email',
      '--set-github-variables',
      '--yes',
      '--dry-run',
      '--help',
    ])
      expect(HELP).toContain(flag);
    expect(HELP).toContain('Run it once per environment (staging, then production)');
  });

  it.each(['previewer', 'my-preview', 'qa-drifted', 'q'])(
    'accepts --environment %s, which only looks like a reserved name',
    (environment) => {
      // Act
      const command = parseCommand(['--repo', 'o/r', '--environment', environment]);

      // Assess
      expect(command).toMatchObject({ options: { environment } });
    },
  );

  it('accepts repository names that start with a dot', () => {
    // Act
    const command = parseCommand(['--repo', 'octo/.github', '--environment', 'staging']);

    // Assess
    expect(command).toMatchObject({ options: { owner: 'octo', repository: '.github' } });
  });

  it.each([
    [['--environment', 'staging'], '--repo OWNER/NAME is required'],
    [['--repo', 'o/r'], '--environment E is required'],
    [['--repo', 'octo-org', '--environment', 'staging'], "--repo 'octo-org' is not OWNER/NAME"],
    [['--repo', 'a/b/c', '--environment', 'staging'], "--repo 'a/b/c' is not OWNER/NAME"],
    [['--repo=-octo/r', '--environment', 'staging'], "--repo '-octo/r' is not OWNER/NAME"],
    [['--repo', '-octo/r', '--environment', 'staging'], "Option '--repo' argument is ambiguous"],
    [['--repo', 'octo/..', '--environment', 'staging'], "--repo 'octo/..' is not OWNER/NAME"],
    [['--repo', 'octo/r s', '--environment', 'staging'], "--repo 'octo/r s' is not OWNER/NAME"],
    [
      [...base.slice(0, 2), '--environment', 'Staging'],
      "--environment 'Staging' is not a valid environment name",
    ],
    [
      [...base.slice(0, 2), '--environment', 'staging-'],
      "--environment 'staging-' is not a valid environment name",
    ],
    [[...base.slice(0, 2), '--environment', 'preview'], "--environment 'preview' is reserved"],
    [
      [...base.slice(0, 2), '--environment', 'staging-drift'],
      "--environment 'staging-drift' is reserved",
    ],
    [[...base, '--region', 'mars-1'], "--region 'mars-1' is not an AWS region name"],
    [
      [...base, '--region', 'eu-south-2'],
      '--region eu-south-2 does not offer every service the stack needs (CloudFormation, IAM',
    ],
    [[...base, '--region', 'cn-north-1'], '--region cn-north-1 does not offer every service'],
    [[...base, '--account-id', '12345'], "--account-id '12345' is not a 12-digit AWS account id"],
    [[...base, '--reviewers', 'alice,,bob'], "not a login: ''"],
    [[...base, '--reviewers', 'alice,b@d'], "not a login: 'b@d'"],
    [[...base, '--alert-email', 'oncall'], "--alert-email 'oncall' is not one e-mail address"],
    [[...base, '--alert-email', 'a@x.com,b@x.com'], 'is not one e-mail address'],
    [['--repo=', '--environment', 'staging'], '--repo OWNER/NAME is required (see --help)'],
    [['--repo', 'o/r', '--environment='], '--environment E is required (see --help)'],
    [[...base, '--account-id', '1234567890123'], "--account-id '1234567890123' is not a 12-digit"],
    [[...base, '--account-id', 'x123456789012'], "--account-id 'x123456789012' is not a 12-digit"],
    [
      [...base, '--reviewers', 'alice,b@d,c!'],
      "--reviewers 'alice,b@d,c!' must be GitHub user logins separated by commas (e.g. alice,bob); not a login: 'b@d', 'c!'",
    ],
    [[...base, '--bogus'], "Unknown option '--bogus' (see --help)"],
    [[...base, 'extra'], "Unexpected argument 'extra'"],
    [[...base, '--yes=no'], '--yes'],
    [[...base, '--region'], "Option '--region <value>' argument missing"],
  ])('refuses %j with a message naming it', (argv, message) => {
    // Act
    const parse = () => parseCommand(argv);

    // Assess
    expect(parse).toThrow(ConfigurationError);
    expect(parse).toThrow(message);
  });
});
