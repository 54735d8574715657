import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { instancePaths } from '../../../local-pipeline/codedeploy/codedeploy-agent';
import {
  AGENT_ENV,
  appspec,
  deploy,
  eventOf,
  lastDeploymentId,
  revision,
  scratch,
  script,
  useScratch,
  waitUntil,
} from '../../support/agent-revisions';

/** The stand-in agent's hooks against the real agent's: points 1–4, 10 and 11 of issue 13. */

useScratch();

describe('the stand-in agent runs hooks as the real agent does', () => {
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
        `DEPLOYMENT_ID=${lastDeploymentId()}`,
        'HOME=/var/lib/agent',
        'LIFECYCLE_EVENT=BeforeInstall',
        `PATH=${join(paths.stateDir, 'bin')}:${AGENT_ENV.PATH}`,
        `SHIM_STATE_DIR=${paths.stateDir}`,
      ].sort(),
    );
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
