import { join } from 'node:path';
import ts from 'typescript';
import { repoRoot } from '../../local-pipeline/emulator/tools';
import { CLIENT_SERVICE, WAITER_OPERATION, type SdkCall } from './sdk-commands';

/**
 * The AWS SDK calls reachable from some functions of our code: a call graph built with the
 * TypeScript compiler. From each entry function, every name its body uses is resolved to its
 * declaration; a function, method, class or constant of the repository is walked in turn, a
 * `new XxxCommand(`, `paginateXxx` or `waitUntilXxx` of an `@aws-sdk/client-*` package is a call.
 * Conservative where it cannot know: a function named (passed, stored) counts as called, and a
 * branch a run never takes still counts. Calls through an interface (a `Deps` member) are not
 * followed: the commands our code sends are built in our code, the clients only carry them.
 */

export interface EntryFunction {
  /** Relative to the repository: `actions/cfn-deploy/src/preview.ts`. */
  readonly file: string;
  readonly name: string;
}

export interface CallGraphOptions {
  /** Folder the calls are attributed to (whose inputs decide what they touch). */
  readonly folder: string;
  /** Source texts that replace files' contents, by path relative to the repository. */
  readonly overrides?: Readonly<Record<string, string>>;
}

export function sdkCallsReachable(
  entries: readonly EntryFunction[],
  options: CallGraphOptions,
): SdkCall[] {
  const program = programOf(
    entries.map((entry) => join(repoRoot, entry.file)),
    options.overrides ?? {},
  );
  const checker = program.getTypeChecker();
  const pending: ts.Node[] = entries.map((entry) => entryFunction(program, entry));
  const walked = new Set<ts.Node>();
  const calls = new Map<string, SdkCall>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const symbol = resolvedSymbol(checker, node);
      for (const declaration of symbol?.declarations ?? []) {
        const call = sdkCall(symbol!.name, declaration, node, options.folder);
        if (call) calls.set(`${call.service}:${call.operation}`, call);
        else if (isOurCode(declaration)) pending.push(declaration);
      }
    }
    ts.forEachChild(node, visit);
  };
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (walked.has(node)) continue;
    walked.add(node);
    ts.forEachChild(node, visit);
  }
  return [...calls.values()].sort((a, b) =>
    `${a.service}:${a.operation}`.localeCompare(`${b.service}:${b.operation}`),
  );
}

function programOf(roots: string[], overrides: Readonly<Record<string, string>>): ts.Program {
  const config = ts.readConfigFile(join(repoRoot, 'tsconfig.json'), (path) =>
    ts.sys.readFile(path),
  );
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot);
  const replaced = new Map(
    Object.entries(overrides).map(([path, text]) => [join(repoRoot, path), text]),
  );
  const host = ts.createCompilerHost(options);
  const { getSourceFile, readFile } = host;
  host.readFile = (path) => replaced.get(path) ?? readFile.call(host, path);
  host.getSourceFile = (path, language, ...rest) => {
    const text = replaced.get(path);
    return text === undefined
      ? getSourceFile.call(host, path, language, ...rest)
      : ts.createSourceFile(path, text, language);
  };
  return ts.createProgram({ rootNames: roots, options, host });
}

function entryFunction(program: ts.Program, entry: EntryFunction): ts.Node {
  const source = program.getSourceFile(join(repoRoot, entry.file));
  const found = source?.statements.find(
    (statement) => ts.isFunctionDeclaration(statement) && statement.name?.text === entry.name,
  );
  if (!found) throw new Error(`${entry.file} declares no function ${entry.name}`);
  return found;
}

function resolvedSymbol(checker: ts.TypeChecker, node: ts.Identifier): ts.Symbol | undefined {
  const symbol = checker.getSymbolAtLocation(node);
  return symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** A declaration in the repository's own code that runs: a function, method, class or variable. */
function isOurCode(declaration: ts.Declaration): boolean {
  const file = declaration.getSourceFile().fileName;
  if (!file.startsWith(`${repoRoot}/`) || file.includes('/node_modules/') || file.endsWith('.d.ts'))
    return false;
  return (
    ts.isFunctionDeclaration(declaration) ||
    ts.isMethodDeclaration(declaration) ||
    ts.isClassDeclaration(declaration) ||
    ts.isVariableDeclaration(declaration) ||
    ts.isPropertyAssignment(declaration) ||
    ts.isPropertyDeclaration(declaration)
  );
}

/** The SDK call a name of an `@aws-sdk/client-*` package makes where it is used, if any. */
function sdkCall(
  name: string,
  declaration: ts.Declaration,
  use: ts.Identifier,
  folder: string,
): SdkCall | undefined {
  const client = /\/node_modules\/@aws-sdk\/client-([a-z0-9-]+)\//.exec(
    declaration.getSourceFile().fileName,
  )?.[1];
  if (!client) return undefined;
  const constructed = ts.isNewExpression(use.parent) && use.parent.expression === use;
  const operation =
    /Command$/.test(name) && constructed
      ? name.replace(/Command$/, '')
      : /^paginate[A-Z]/.test(name)
        ? name.replace(/^paginate/, '')
        : /^waitUntil/.test(name)
          ? WAITER_OPERATION[name]
          : undefined;
  if (/^waitUntil/.test(name) && !operation)
    throw new Error(`waiter ${name} is not in WAITER_OPERATION of tests/iam/sdk-commands.ts`);
  if (!operation) return undefined;
  const service = CLIENT_SERVICE[client];
  if (!service) throw new Error(`no IAM service prefix for @aws-sdk/client-${client}`);
  return { service, operation, folder };
}
