// Our rule for workflows and actions (README: Keeping it current): every third-party `uses:` is
// pinned to a full commit SHA with its version as a comment on the same line (Dependabot moves
// both), and every workflow and every job says which token permissions it needs.
// zizmor's unpinned-uses and excessive-permissions audits cover part of it; this states all of it.
import { isMap, isScalar, isSeq, parseDocument, type Document, type Scalar } from 'yaml';

/** A commit SHA in full: a tag or a branch can be moved to other code, a short SHA can collide. */
const pinned = /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/;
/** A container image by digest, for the same reason. */
const pinnedImage = /^docker:\/\/[^@\s]+@sha256:[0-9a-f]{64}$/;
/** The tag the SHA was taken from, on the same line, in the form Dependabot recognises and updates. */
const versionComment = /^\s+#\s*v\d+(\.\d+)*\s*$/;

type Path = (string | number)[];

function describePath(path: Path): string {
  return path
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`))
    .join('')
    .slice(1);
}

function usesViolation(text: string, file: string, path: Path, node: Scalar): string | undefined {
  const target = String(node.value);
  const where = `${file}: ${describePath(path)}`;
  if (target.startsWith('./')) return undefined;
  if (target.startsWith('docker://')) {
    return pinnedImage.test(target)
      ? undefined
      : `${where} uses ${target}: not pinned to an image digest (@sha256:…)`;
  }
  if (!pinned.test(target))
    return `${where} uses ${target}: not pinned to a full 40-character commit SHA`;
  const end = node.range?.[1] ?? text.length;
  const restOfLine = text.slice(
    end,
    text.indexOf('\n', end) === -1 ? undefined : text.indexOf('\n', end),
  );
  return versionComment.test(restOfLine)
    ? undefined
    : `${where} uses ${target}: no version comment (# vX.Y.Z) on the same line`;
}

function stepsAt(document: Document, path: Path): Path[] {
  const steps = document.getIn(path, true);
  return isSeq(steps) ? steps.items.map((_, index) => [...path, index]) : [];
}

/** Every `uses:` of the document at the places a runner reads one, checked against the rule. */
function checkUses(text: string, file: string, document: Document, owners: Path[]): string[] {
  return owners.flatMap((owner) => {
    const node = document.getIn([...owner, 'uses'], true);
    if (node === undefined) return [];
    if (!isScalar(node)) return [`${file}: ${describePath([...owner, 'uses'])} is not a string`];
    return [usesViolation(text, file, [...owner, 'uses'], node)].filter((v) => v !== undefined);
  });
}

function parsed(text: string, file: string): Document {
  const document = parseDocument(text);
  if (document.errors.length > 0)
    throw new Error(`${file} is not valid YAML: ${document.errors[0]!.message}`);
  return document;
}

/** What breaks the rule in a workflow file (an empty list when nothing does). */
export function workflowViolations(file: string, text: string): string[] {
  const document = parsed(text, file);
  const jobs = document.get('jobs', true);
  if (!isMap(jobs)) return [`${file}: has no jobs`];
  const jobNames = jobs.items.map((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key));
  const permissions = [
    ...(document.has('permissions') ? [] : [`${file}: declares no top-level permissions`]),
    ...jobNames
      .filter((job) => !document.hasIn(['jobs', job, 'permissions']))
      .map((job) => `${file}: job ${job} declares no permissions`),
  ];
  const owners = jobNames.flatMap((job) => [
    ['jobs', job],
    ...stepsAt(document, ['jobs', job, 'steps']),
  ]);
  return [...permissions, ...checkUses(text, file, document, owners)];
}

/** What breaks the pin rule in an action's action.yml (composite actions have `uses:` steps). */
export function actionViolations(file: string, text: string): string[] {
  const document = parsed(text, file);
  return checkUses(text, file, document, stepsAt(document, ['runs', 'steps']));
}
