import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  appspec,
  deploy,
  eventOf,
  onInstance,
  revision,
  script,
  useScratch,
} from '../../support/agent-revisions';

/** The stand-in agent's Install and AppSpec against the real agent's: points 5–9 of issue 13. */

useScratch();

describe('the stand-in agent installs and validates as the real agent does', () => {
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
});
