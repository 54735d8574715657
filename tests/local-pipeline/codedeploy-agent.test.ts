import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  instancePaths,
  runRevision,
  type AgentOptions,
  type AgentRun,
} from '../../local-pipeline/codedeploy-agent';

/**
 * The stand-in agent against the facts of aws-codedeploy-agent (points 1–11 of issue 13), each
 * on a small revision of its own and a fresh instance. Hooks run through su and from /, as on
 * an instance, so these tests need root (the agent runs as root too).
 */

let scratch: string;
let revisions = 0;

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'agent-'));
});

afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const AGENT_ENV = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  HOME: '/var/lib/agent',
  AGENT_OWN: 'yes',
};

/** A revision directory from `appspec.yml` and other files; `*.sh` files are executable. */
function revision(files: Record<string, string>): string {
  const dir = join(scratch, `revision-${(revisions += 1)}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
    if (path.endsWith('.sh')) chmodSync(join(dir, path), 0o755);
  }
  return dir;
}

const script = (body: string) => `#!/usr/bin/env bash\n${body}\n`;

function appspec(hooks: Record<string, string>, extra = ''): string {
  const entries = Object.entries(hooks).map(
    ([event, location]) => `  ${event}:\n    - location: ${location}\n      timeout: 30\n`,
  );
  return `version: 0.0\nos: linux\n${extra}hooks:\n${entries.join('')}`;
}

let deployments = 0;
function deploy(
  revisionDir: string,
  overrides: Partial<AgentOptions> = {},
  instance = 'instance',
): Promise<AgentRun> {
  return runRevision({
    revisionDir,
    instanceDir: join(scratch, instance),
    env: AGENT_ENV,
    deploymentId: `d-${(deployments += 1)}`,
    applicationName: 'app',
    deploymentGroupName: 'group',
    deploymentGroupId: 'group-id',
    preinstallNode: false,
    ...overrides,
  });
}

const eventOf = (run: AgentRun, name: string) => run.events.find((event) => event.event === name);
const onInstance = (path: string, instance = 'instance') =>
  join(instancePaths(join(scratch, instance)).root, path);

describe('the stand-in agent, point by point against the real agent', () => {
  it('1. runs ApplicationStop from the last deployment whose Install succeeded, even one that failed later', async () => {
    // Prepare: A succeeds; B installs, then fails in AfterInstall
    const stopping = (name: string, afterInstall: string) =>
      revision({
        'appspec.yml': appspec({
          ApplicationStop: 'stop.sh',
          AfterInstall: 'after.sh',
        }),
        'stop.sh': script(`echo "stop script of ${name}"`),
        'after.sh': script(afterInstall),
      });
    await deploy(stopping('A', 'exit 0'));
    const failed = await deploy(stopping('B', 'exit 3'));

    // Act
    const next = await deploy(stopping('C', 'exit 0'));

    // Assess
    expect(failed.status).toBe('Failed');
    expect(eventOf(next, 'ApplicationStop')?.logTail).toBe(
      'LifecycleEvent - ApplicationStop\nScript - stop.sh\n[stdout]stop script of B\n',
    );
  });

  it('2. runs hooks from the agent’s working directory, /', async () => {
    const run = await deploy(
      revision({
        'appspec.yml': appspec({ BeforeInstall: 'where.sh' }),
        'where.sh': script('pwd'),
      }),
    );
    expect(eventOf(run, 'BeforeInstall')?.logTail).toContain('[stdout]/\n');
  });

  it('3. runs a hook with runas through su, which sets HOME and SHELL and honours the user', async () => {
    // Prepare
    const probe = script('echo "home=$HOME shell=$SHELL user=$(id -un)"');
    const spec = (runas: string) =>
      `version: 0.0\nos: linux\nhooks:\n  BeforeInstall:\n    - location: probe.sh\n      runas: ${runas}\n`;

    // Act
    const asRoot = await deploy(revision({ 'appspec.yml': spec('root'), 'probe.sh': probe }));
    const asNobody = await deploy(revision({ 'appspec.yml': spec('nobody'), 'probe.sh': probe }));
    const withoutRunas = await deploy(
      revision({ 'appspec.yml': appspec({ BeforeInstall: 'probe.sh' }), 'probe.sh': probe }),
    );

    // Assess
    expect(eventOf(asRoot, 'BeforeInstall')?.logTail).toContain(
      '[stdout]home=/root shell=/bin/bash user=root',
    );
    // nobody's login shell is nologin: su runs it, as on an instance, and the hook fails.
    expect(eventOf(asNobody, 'BeforeInstall')).toMatchObject({
      status: 'Failed',
      errorCode: 'ScriptFailed',
      message: 'Script at specified location: probe.sh run as user nobody failed with exit code 1',
    });
    expect(eventOf(asNobody, 'BeforeInstall')?.logTail).toContain(
      'account is currently not available',
    );
    expect(eventOf(withoutRunas, 'BeforeInstall')?.logTail).toContain(
      '[stdout]home=/var/lib/agent',
    );
  });

  it('4. gives hooks the agent’s environment plus the deployment’s variables and nothing else', async () => {
    // Prepare
    const dir = revision({
      'appspec.yml': appspec({ BeforeInstall: 'env.sh' }),
      'env.sh': script('env | sort | grep -v "^_="'),
    });

    // Act
    const run = await deploy(dir, {
      bundle: { bucket: 'artifacts', key: 'codedeploy/app/abc.zip', etag: 'e7ag' },
    });

    // Assess
    const paths = instancePaths(join(scratch, 'instance'));
    const lines = (eventOf(run, 'BeforeInstall')?.logTail ?? '')
      .split('\n')
      .filter((line) => line.startsWith('[stdout]'))
      .map((line) => line.slice('[stdout]'.length))
      // The shell's own (bash sets these in every script).
      .filter((line) => !/^(PWD|SHLVL)=/.test(line));
    expect(lines).toEqual(
      [
        `AGENT_OWN=yes`,
        `ANOMALY_PRODUCER_ROOT=${paths.root}`,
        'APPLICATION_NAME=app',
        'BUNDLE_BUCKET=artifacts',
        'BUNDLE_ETAG=e7ag',
        'BUNDLE_KEY=codedeploy/app/abc.zip',
        'DEPLOYMENT_GROUP_ID=group-id',
        'DEPLOYMENT_GROUP_NAME=group',
        `DEPLOYMENT_ID=d-${deployments}`,
        'HOME=/var/lib/agent',
        'LIFECYCLE_EVENT=BeforeInstall',
        `PATH=${join(paths.stateDir, 'bin')}:${AGENT_ENV.PATH}`,
        `SHIM_STATE_DIR=${paths.stateDir}`,
      ].sort(),
    );
  });

  it('5. copies a single-file source into the destination directory', async () => {
    const run = await deploy(
      revision({
        'appspec.yml':
          'version: 0.0\nos: linux\nfiles:\n  - source: config/app.conf\n    destination: /etc/app\n',
        'config/app.conf': 'setting=1\n',
      }),
    );
    expect(run.status).toBe('Succeeded');
    expect(readFileSync(onInstance('etc/app/app.conf'), 'utf8')).toBe('setting=1\n');
  });

  it('6. first removes every file the group’s previous deployment installed', async () => {
    // Prepare
    const files = 'files:\n  - source: site\n    destination: /srv/site\n';
    await deploy(
      revision({
        'appspec.yml': `version: 0.0\nos: linux\n${files}`,
        'site/index.html': 'one',
        'site/old/page.html': 'old',
      }),
    );

    // Act
    const run = await deploy(
      revision({ 'appspec.yml': `version: 0.0\nos: linux\n${files}`, 'site/index.html': 'two' }),
    );

    // Assess
    expect(run.status).toBe('Succeeded');
    expect(readFileSync(onInstance('srv/site/index.html'), 'utf8')).toBe('two');
    expect(existsSync(onInstance('srv/site/old'))).toBe(false);
  });

  describe('7. file_exists_behavior, for files the previous deployment did not install', () => {
    const files = 'files:\n  - source: app.conf\n    destination: /etc/app\n';
    const withBehavior = (line: string) =>
      revision({ 'appspec.yml': `version: 0.0\nos: linux\n${line}${files}`, 'app.conf': 'new' });
    beforeEach(() => {
      mkdirSync(dirname(onInstance('etc/app/app.conf')), { recursive: true });
      writeFileSync(onInstance('etc/app/app.conf'), 'put there by hand');
    });

    it('DISALLOW by default: Install fails, naming the file', async () => {
      const run = await deploy(withBehavior(''));
      expect(eventOf(run, 'Install')).toMatchObject({
        status: 'Failed',
        errorCode: 'UnknownError',
        message:
          'The deployment failed because a specified file already exists at this location: /etc/app/app.conf',
      });
    });

    it('OVERWRITE from the deployment replaces it', async () => {
      const run = await deploy(withBehavior(''), { fileExistsBehavior: 'OVERWRITE' });
      expect(run.status).toBe('Succeeded');
      expect(readFileSync(onInstance('etc/app/app.conf'), 'utf8')).toBe('new');
    });

    it("the appspec's RETAIN overrides the deployment's OVERWRITE", async () => {
      const run = await deploy(withBehavior('file_exists_behavior: RETAIN\n'), {
        fileExistsBehavior: 'OVERWRITE',
      });
      expect(run.status).toBe('Succeeded');
      expect(readFileSync(onInstance('etc/app/app.conf'), 'utf8')).toBe('put there by hand');
    });

    it('an invalid value is rejected', async () => {
      const run = await deploy(withBehavior('file_exists_behavior: REPLACE\n'));
      expect(run.status).toBe('Failed');
      expect(run.events.find((event) => event.status === 'Failed')?.message).toContain(
        'an invalid file_exists_behavior value (REPLACE)',
      );
    });
  });

  it('8. fails the deployment when two files mappings install to the same destination', async () => {
    const run = await deploy(
      revision({
        'appspec.yml':
          'version: 0.0\nos: linux\nfiles:\n  - source: a/run.sh\n    destination: /opt/app\n  - source: b/run.sh\n    destination: /opt/app\n',
        'a/run.sh': 'a',
        'b/run.sh': 'b',
      }),
    );
    expect(eventOf(run, 'Install')?.status).toBe('Failed');
    expect(eventOf(run, 'Install')?.message).toMatch(
      /specifies two source files named .*\/b\/run\.sh and .*\/a\/run\.sh for the same destination \(\/opt\/app\/run\.sh\)/,
    );
  });

  describe('9. validates the AppSpec as the agent parses it (Psych, YAML 1.1)', () => {
    const failureOf = async (text: string) => {
      const run = await deploy(revision({ 'appspec.yml': text, 'ok.sh': script('true') }));
      return run.events.find((event) => event.status === 'Failed');
    };

    it.each([
      ['a quoted version', 'version: "0.0"\nos: linux\n', 'an invalid version value (0.0)'],
      ['no os', 'version: 0.0\n', 'unsupported operating system ()'],
      [
        'os: yes, a YAML 1.1 boolean',
        'version: 0.0\nos: yes\n',
        'unsupported operating system (true)',
      ],
      [
        'a timeout of 0',
        'version: 0.0\nos: linux\nhooks:\n  BeforeInstall:\n    - location: ok.sh\n      timeout: 0\n',
        'an invalid timeout value',
      ],
      [
        'a timeout over 3600',
        'version: 0.0\nos: linux\nhooks:\n  BeforeInstall:\n    - location: ok.sh\n      timeout: 3601\n',
        'at most 3600 seconds',
      ],
      [
        'an alias',
        'version: 0.0\nos: linux\nhooks:\n  BeforeInstall: &h\n    - location: ok.sh\n  AfterInstall: *h\n',
        'Alias parsing was not enabled',
      ],
    ])('rejects %s', async (_case, text, message) => {
      expect((await failureOf(text))?.message).toContain(message);
    });

    it('rejects an unknown hook name at Install', async () => {
      const failure = await failureOf(appspec({ BeforeInstall: 'ok.sh', AfterInstal: 'ok.sh' }));
      expect(failure).toMatchObject({
        event: 'Install',
        message: 'appspec.yml file contains unknown lifecycle events: ["AfterInstal"]',
      });
    });

    it('reads 0755 as an octal number, as Psych does', async () => {
      const failure = await failureOf(appspec({ BeforeInstall: '0755' }));
      expect(failure).toMatchObject({ errorCode: 'ScriptMissing' });
      expect(failure?.message).toMatch(/Script does not exist at specified location: .*\/493$/);
    });
  });

  it("10. keeps about 2,048 characters of an event's output across its scripts, whole lines with prefixes", async () => {
    // Prepare: 2 scripts, 4,000+ characters in all
    const noisy = (name: string, code: number) =>
      script(
        `for i in $(seq 1 30); do echo "${name} line $i of forty characters"; done; echo "${name} says bye" >&2; exit ${code}`,
      );
    const dir = revision({
      'appspec.yml':
        'version: 0.0\nos: linux\nhooks:\n  AfterInstall:\n    - location: one.sh\n    - location: two.sh\n',
      'one.sh': noisy('one', 0),
      'two.sh': noisy('two', 4),
    });

    // Act
    const event = eventOf(await deploy(dir), 'AfterInstall');

    // Assess
    const tail = event?.logTail ?? '';
    expect(tail.length).toBeLessThanOrEqual(2048);
    expect(tail.length).toBeGreaterThan(1800);
    expect(tail).toMatch(/^\[stdout\]one line \d+ of forty characters\n/);
    expect(tail).toContain('Script - two.sh\n');
    expect(tail.endsWith('[stderr]two says bye\n')).toBe(true);
    expect(event?.message).toBe('Script at specified location: two.sh failed with exit code 4');
  });

  describe('11. a script that runs too long or leaves its output open', () => {
    const stillRunning = (pid: number) => {
      try {
        return !/^\d+ \([^)]*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    const pidOf = (name: string) => Number(readFileSync(join(scratch, name), 'utf8'));

    it('sends SIGTERM to the whole process group once the timeout passes', async () => {
      const run = await deploy(
        revision({
          'appspec.yml':
            'version: 0.0\nos: linux\nhooks:\n  BeforeInstall:\n    - location: slow.sh\n      timeout: 1\n',
          'slow.sh': script(`sleep 30 & echo $! >"${join(scratch, 'child.pid')}"; sleep 30`),
        }),
      );
      expect(eventOf(run, 'BeforeInstall')).toMatchObject({
        status: 'Failed',
        errorCode: 'ScriptTimedOut',
        message: 'Script at specified location: slow.sh failed to complete in 1 seconds',
      });
      await expect(waitUntil(() => !stillRunning(pidOf('child.pid')))).resolves.toBe(true);
    });

    it('reports a script that exits but leaves its stdout open, once its timeout passes', async () => {
      const run = await deploy(
        revision({
          'appspec.yml':
            'version: 0.0\nos: linux\nhooks:\n  BeforeInstall:\n    - location: leaky.sh\n      timeout: 1\n',
          'leaky.sh': script(`sleep 30 & echo $! >"${join(scratch, 'leak.pid')}"; exit 0`),
        }),
      );
      process.kill(pidOf('leak.pid'), 'SIGKILL');
      expect(eventOf(run, 'BeforeInstall')).toMatchObject({
        status: 'Failed',
        errorCode: 'UnknownError',
        message: 'Script at specified location: leaky.sh failed to close STDOUT',
      });
    });
  });
});

/** Polls a condition the kernel settles in milliseconds (a signalled process exiting). */
async function waitUntil(condition: () => boolean): Promise<boolean> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (condition()) return true;
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return condition();
}
