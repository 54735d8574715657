import { access, constants } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as core from '@actions/core';
import * as glob from '@actions/glob';
import { execa } from 'execa';
import { run } from './main';

const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();

void run({
  io: core,
  expandGlob: async (pattern) =>
    (await glob.create(resolve(workspace, pattern), { matchDirectories: false })).glob(),
  isReadable: (path) =>
    access(resolve(workspace, path), constants.R_OK).then(
      () => true,
      () => false,
    ),
  runCfnLint: async (args) => {
    const result = await execa('cfn-lint', args, { reject: false, cwd: workspace });
    return {
      exitCode: result.exitCode ?? -1,
      stdout: result.stdout,
      stderr: result.stderr,
      missing: result.code === 'ENOENT',
    };
  },
  workspace,
});
