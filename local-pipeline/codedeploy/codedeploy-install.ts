import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmdirSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
  appendFileSync,
} from 'node:fs';
import { basename, join, posix } from 'node:path';
import type { AppSpec, FileExistsBehavior } from './codedeploy-appspec';

/**
 * The agent's Install event (installer.rb, install_instruction.rb): first removes every file and
 * directory the group's previous deployment installed (its `<group>-cleanup` list, newest
 * first; a directory only when empty), then plans every copy — a directory source is copied
 * into the destination, a single file becomes `destination/basename` — failing on two copies to
 * one path or on a file that exists where `file_exists_behavior` says DISALLOW — and only then
 * copies, writing each installed path to the new cleanup list as it goes.
 *
 * Destinations are instance paths (`/opt/…`); on the test bed they live under `root`.
 */

export interface InstallContext {
  readonly archiveDir: string;
  readonly instructionsDir: string;
  readonly deploymentGroupId: string;
  /** The deployment's fileExistsBehavior (CreateDeployment's default is DISALLOW). */
  readonly fileExistsBehavior: FileExistsBehavior;
  /** The instance's `/` on the test bed. */
  readonly root: string;
}

type Command =
  | { readonly type: 'copy'; readonly source: string; readonly destination: string }
  | { readonly type: 'mkdir'; readonly directory: string };

export class InstallError extends Error {}

export function install(spec: AppSpec, context: InstallContext): void {
  mkdirSync(context.instructionsDir, { recursive: true });
  const cleanupFile = join(context.instructionsDir, `${context.deploymentGroupId}-cleanup`);
  if (existsSync(cleanupFile)) {
    removePreviousInstall(readFileSync(cleanupFile, 'utf8'), context.root);
    unlinkSync(cleanupFile);
  }
  const commands = plan(spec, context);
  writeFileSync(cleanupFile, '');
  for (const command of commands) execute(command, cleanupFile, context.root);
}

function removePreviousInstall(cleanupList: string, root: string): void {
  const lines = cleanupList.split(/(?<=\n)/);
  // A path written without its newline is one the agent had not finished installing.
  if (lines.length > 0 && !lines.at(-1)!.endsWith('\n')) lines.pop();
  for (const line of lines.reverse()) {
    const path = onInstance(root, line.trim());
    const stats = lstatSync(path, { throwIfNoEntry: false });
    if (!stats) continue;
    if (stats.isDirectory()) {
      try {
        rmdirSync(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOTEMPTY') throw error;
      }
    } else unlinkSync(path);
  }
}

function plan(spec: AppSpec, context: InstallContext): Command[] {
  const builder = new CommandBuilder(context.root);
  for (const mapping of spec.files) {
    const source = join(context.archiveDir, mapping.source);
    const behavior = spec.fileExistsBehavior ?? context.fileExistsBehavior;
    if (isDirectory(source)) {
      fillInMissingAncestors(builder, mapping.destination, context.root);
      planDirectoryCopy(builder, source, mapping.destination, behavior);
    } else {
      const destination = posix.join(mapping.destination, basename(source));
      fillInMissingAncestors(builder, destination, context.root);
      planFileCopy(builder, source, destination, behavior);
    }
  }
  return builder.commands;
}

function planDirectoryCopy(
  builder: CommandBuilder,
  source: string,
  destination: string,
  behavior: FileExistsBehavior,
): void {
  if (!isDirectory(onInstance(builder.root, destination))) builder.mkdir(destination);
  for (const entry of readdirSync(source).sort()) {
    const from = join(source, entry);
    const to = posix.join(destination, entry);
    if (isDirectory(from)) planDirectoryCopy(builder, from, to, behavior);
    else planFileCopy(builder, from, to, behavior);
  }
}

function planFileCopy(
  builder: CommandBuilder,
  source: string,
  destination: string,
  behavior: FileExistsBehavior,
): void {
  if (!existsSync(onInstance(builder.root, destination))) {
    builder.copy(source, destination);
    return;
  }
  switch (behavior) {
    case 'DISALLOW':
      throw new InstallError(
        `The deployment failed because a specified file already exists at this location: ${destination}`,
      );
    case 'OVERWRITE':
      builder.copy(source, destination);
      return;
    case 'RETAIN':
      return;
    default:
      throw new InstallError(
        `The deployment failed because an invalid option was specified for fileExistsBehavior: ${String(behavior)}. Valid options include OVERWRITE, RETAIN, and DISALLOW.`,
      );
  }
}

function fillInMissingAncestors(builder: CommandBuilder, destination: string, root: string): void {
  const missing: string[] = [];
  for (
    let parent = posix.dirname(destination);
    !existsSync(onInstance(root, parent)) && parent !== '.' && parent !== '/';
    parent = posix.dirname(parent)
  )
    missing.unshift(parent);
  for (const directory of missing) builder.mkdir(directory);
}

class CommandBuilder {
  readonly commands: Command[] = [];
  private readonly copyTargets = new Map<string, string>();
  private readonly mkdirTargets = new Set<string>();

  constructor(readonly root: string) {}

  copy(source: string, destination: string): void {
    const target = posix.resolve(destination);
    const other = this.copyTargets.get(target);
    if (other !== undefined)
      throw new InstallError(
        `The deployment failed because the application specification file specifies two source files named ${source} and ${other} for the same destination (${target}). Remove one of the source file paths from the AppSpec file, and then try again.`,
      );
    if (this.mkdirTargets.has(target))
      throw new InstallError(
        `The deployment failed because the application specification file calls for installing the file ${source}, but a file with that name already exists at the location (${target}). Update your AppSpec file or directory structure, and then try again.`,
      );
    this.commands.push({ type: 'copy', source, destination: target });
    this.copyTargets.set(target, source);
  }

  mkdir(destination: string): void {
    const target = posix.resolve(destination);
    if (this.copyTargets.has(target))
      throw new InstallError(
        `The deployment failed because the application specification file includes an mkdir command more than once for the same destination path (${target}) from (${this.copyTargets.get(target)}). Update the files section of the AppSpec file, and then try again.`,
      );
    if (!this.mkdirTargets.has(target)) this.commands.push({ type: 'mkdir', directory: target });
    this.mkdirTargets.add(target);
  }
}

function execute(command: Command, cleanupFile: string, root: string): void {
  if (command.type === 'mkdir') {
    mkdirSync(onInstance(root, command.directory));
    appendFileSync(cleanupFile, `${command.directory}\n`);
    return;
  }
  appendFileSync(cleanupFile, `${command.destination}\n`);
  const target = onInstance(root, command.destination);
  if (lstatSync(command.source, { throwIfNoEntry: false })?.isSymbolicLink()) {
    symlinkSync(readlinkSync(command.source), target);
    return;
  }
  if (!existsSync(command.source))
    throw new InstallError(`No such file or directory @ rb_sysopen - ${command.source}`);
  copyFileSync(command.source, target);
}

/** An instance path on the test bed: under the scratch root standing in for `/`. */
export function onInstance(root: string, path: string): string {
  return join(root, path);
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
