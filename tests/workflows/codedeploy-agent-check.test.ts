import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../local-pipeline/emulator/tools';

/**
 * scripts/codedeploy-agent-check.sh, the pull request's check with the real CodeDeploy agent,
 * offline: everything up to the download of the agent, and the deployment with a recording
 * stand-in for codedeploy-local (the real one runs only on the runner).
 */

const script = join(repoRoot, 'scripts', 'codedeploy-agent-check.sh');
let scratch: string;

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'agent-check-'));
});

afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** An executable that appends its arguments to calls.log and exits with `code`. */
function recorder(name: string, code = 0): string {
  const bin = join(scratch, 'bin');
  mkdirSync(bin, { recursive: true });
  const path = join(bin, name);
  writeFileSync(
    path,
    `#!/usr/bin/env bash\necho "${name} $*" >>"${join(scratch, 'calls.log')}"\nexit ${code}\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

function check(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync('bash', [script, ...args], {
    encoding: 'utf8',
    env: {
      PATH: `${join(scratch, 'bin')}:${process.env.PATH ?? ''}`,
      SYSTEMD_DIR: join(scratch, 'systemd'),
      CODEDEPLOY_DEPLOYMENT_ROOT: join(scratch, 'deployment-root'),
      ...env,
    },
  });
  let calls = '';
  try {
    calls = readFileSync(join(scratch, 'calls.log'), 'utf8');
  } catch {
    // nothing was called
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
}

function builtRevision(): string {
  const revision = join(scratch, 'appspec');
  cpSync(join(repoRoot, 'appspec', 'appspec.yml'), join(revision, 'appspec.yml'));
  mkdirSync(join(revision, 'app'));
  writeFileSync(join(revision, 'app', 'index.js'), '');
  return revision;
}

describe('codedeploy-agent-check.sh install', () => {
  it('rejects a region that is not one before touching the machine', () => {
    recorder('apt-get');
    const result = check(['install', 'us_east_1']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'codedeploy-agent-check: ERROR: "us_east_1" is not an AWS region (e.g. us-east-1)\n',
    );
    expect(result.calls).toBe('');
  });

  it("fetches AWS's installer for the region, with retries, and says so when it cannot", () => {
    recorder('apt-get');
    recorder('curl', 6);
    const result = check(['install', 'eu-west-1']);
    expect(result.status).toBe(1);
    expect(result.calls).toMatch(/^apt-get .* update\napt-get .* install -y ruby-full\ncurl /);
    expect(result.calls).toContain('--retry 5');
    expect(result.calls).toContain(
      'https://aws-codedeploy-eu-west-1.s3.eu-west-1.amazonaws.com/latest/install',
    );
    expect(result.stderr).toBe(
      'codedeploy-agent-check: ERROR: could not download the CodeDeploy agent installer from https://aws-codedeploy-eu-west-1.s3.eu-west-1.amazonaws.com/latest/install\n',
    );
  });
});

describe('codedeploy-agent-check.sh deploy', () => {
  it('deploys the revision directory with codedeploy-local as an in-place deployment', () => {
    const agent = recorder('codedeploy-local');
    const revision = builtRevision();
    const result = check(['deploy', revision, 'pr-check'], { CODEDEPLOY_LOCAL: agent });
    expect(result.status).toBe(0);
    expect(result.calls).toBe(
      `codedeploy-local --bundle-location ${revision} --type directory --deployment-group pr-check --deployment-group-name pr-check --application-name anomaly-detection --file-exists-behavior OVERWRITE\n`,
    );
  });

  it("fails when the agent fails the revision, showing the hooks' log", () => {
    const agent = recorder('codedeploy-local', 1);
    const revision = builtRevision();
    const logs = join(scratch, 'deployment-root', 'pr-check', 'd-1-local', 'logs');
    mkdirSync(logs, { recursive: true });
    writeFileSync(join(logs, 'scripts.log'), '[stderr]anomaly-producer is not running\n');
    const result = check(['deploy', revision, 'pr-check'], { CODEDEPLOY_LOCAL: agent });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('[stderr]anomaly-producer is not running');
    expect(result.stderr).toBe(
      'codedeploy-agent-check: ERROR: the CodeDeploy agent rejected or failed the revision\n',
    );
  });

  it('refuses an unbuilt revision, naming the fix', () => {
    const agent = recorder('codedeploy-local');
    const revision = builtRevision();
    rmSync(join(revision, 'app'), { recursive: true });
    const result = check(['deploy', revision, 'pr-check'], { CODEDEPLOY_LOCAL: agent });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('app/index.js is missing: run npm run build first');
    expect(result.calls).toBe('');
  });

  it('points the installed service at the emulator through a systemd drop-in when asked', () => {
    const agent = recorder('codedeploy-local');
    const result = check(['deploy', builtRevision(), 'pr-check'], {
      CODEDEPLOY_LOCAL: agent,
      PRODUCER_AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
    });
    expect(result.status).toBe(0);
    const dropIn = readFileSync(
      join(scratch, 'systemd', 'anomaly-producer.service.d', 'emulator.conf'),
      'utf8',
    );
    expect(dropIn).toContain('Environment=AWS_ENDPOINT_URL=http://127.0.0.1:5000\n');
  });
});

describe('the pull request job', () => {
  const workflow = parse(
    readFileSync(join(repoRoot, '.github', 'workflows', 'pr.yml'), 'utf8'),
  ) as {
    jobs: Record<string, { permissions?: unknown; steps: { run?: string }[] }>;
  };
  const job = workflow.jobs['codedeploy-agent'];

  it('installs the agent, then deploys the built revision with it', () => {
    const runs = (job?.steps ?? []).flatMap((step) => (step.run ? [step.run] : []));
    expect(runs).toEqual([
      'sudo bash scripts/codedeploy-agent-check.sh install us-east-1',
      'npm ci && npm run build && npm run setup',
      'node scripts/agent-check.mjs',
    ]);
    expect(job?.permissions).toEqual({ contents: 'read' });
  });
});
