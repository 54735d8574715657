import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIFECYCLE } from '../../local-pipeline/codedeploy/codedeploy-agent';
import { parseAppSpec } from '../../local-pipeline/codedeploy/codedeploy-appspec';
import { repoRoot, toolEnvironment } from '../../local-pipeline/emulator/tools';

const revision = join(repoRoot, 'appspec');
const scripts = readdirSync(join(revision, 'scripts')).filter((name) => name.endsWith('.sh'));

describe('CodeDeploy revision', () => {
  it('passes shellcheck on every script', () => {
    const result = spawnSync(
      'shellcheck',
      ['-x', ...scripts.map((name) => join('appspec', 'scripts', name))],
      {
        cwd: repoRoot,
        env: toolEnvironment(),
        encoding: 'utf8',
      },
    );
    expect(result.error).toBeUndefined();
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  const spec = parseAppSpec(readFileSync(join(revision, 'appspec.yml'), 'utf8'));
  const hooks = Object.entries(spec.hooks).flatMap(([event, list]) =>
    (list ?? []).map((hook) => ({ event, ...hook })),
  );

  it('declares the five hooks the service needs', () => {
    expect(hooks.map((hook) => hook.event)).toEqual(
      LIFECYCLE.filter((event) => event !== 'Install'),
    );
  });

  it.each(hooks.map((hook) => [hook.event, hook] as const))(
    '%s: the script exists, is executable and has a timeout',
    (_event, hook) => {
      const path = join(revision, hook.location);
      expect(existsSync(path)).toBe(true);
      expect(() => {
        accessSync(path, constants.X_OK);
      }).not.toThrow();
      expect(hook.timeout).toBeGreaterThan(0);
      expect(hook.timeout).toBeLessThanOrEqual(3600);
    },
  );

  it.each(scripts)('%s is in the house style (strict mode through common.sh)', (name) => {
    const text = readFileSync(join(revision, 'scripts', name), 'utf8');
    expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(text).toMatch(
      name === 'common.sh'
        ? /^set -euo pipefail$/m
        : /^source "\$\(dirname "\$\{BASH_SOURCE\[0\]\}"\)\/common\.sh"$/m,
    );
  });

  it('installs files to /opt/anomaly-producer and runs the service unprivileged with restarts', () => {
    expect(spec.files.every((file) => file.destination.startsWith('/opt/anomaly-producer/'))).toBe(
      true,
    );
    const unit = readFileSync(join(revision, 'service', 'anomaly-producer.service'), 'utf8');
    expect(unit).toMatch(/^User=anomaly-producer$/m);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^EnvironmentFile=\/etc\/anomaly-producer\/producer\.env$/m);
  });
});
