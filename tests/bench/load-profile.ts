import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface CallFrame {
  readonly url: string;
  readonly functionName: string;
}

interface CpuProfile {
  readonly nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/**
 * The module a frame evaluates: esbuild names each bundled module's wrapper (`__esm`/`__commonJS`)
 * after its path, so the package is in the function's name (`node_modules/undici/index.js`).
 */
function moduleOf(frame: CallFrame): string | undefined {
  const name = frame.functionName;
  const dependency = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(name);
  if (dependency) return dependency[1];
  return /^(actions|lambda|producer)\//.test(name) ? 'this project' : undefined;
}

/** What one sample was doing, from its leaf frame (and, in the bundle, whose module it evaluated). */
function partOf(stack: CallFrame[], bundle: string): string {
  const leaf = stack[0];
  if (leaf?.url.endsWith(bundle)) {
    const module = stack.map(moduleOf).find((name) => name !== undefined);
    return `evaluating ${module ?? 'the bundle'}`;
  }
  if (leaf?.url.includes('modules/cjs/loader')) return 'module loader (compiles the bundle)';
  if (leaf?.url.startsWith('node:')) return 'Node built-in modules';
  if (leaf?.functionName === '(garbage collector)') return 'garbage collector';
  return 'other (Node start-up, native)';
}

function stacksOf(profile: CpuProfile): Map<number, CallFrame[]> {
  const parents = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parents.set(child, node.id);
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const stacks = new Map<number, CallFrame[]>();
  for (const id of frames.keys()) {
    const stack: CallFrame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const frame = frames.get(at);
      if (frame) stack.push(frame);
    }
    stacks.set(id, stack);
  }
  return stacks;
}

/**
 * Where one fresh process's CPU goes while it loads `bundle` (`node --cpu-prof`, 100 µs
 * sampling; profiler overhead included): ms by part, the bundle's own evaluation split by the
 * package whose module ran, largest first.
 */
export function profileLoad(
  bundle: string,
  env: NodeJS.ProcessEnv,
  script = `require(${JSON.stringify(bundle)})`,
): Record<string, number> {
  const directory = mkdtempSync(join(tmpdir(), 'bench-cpu-prof-'));
  try {
    const args = ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', directory];
    spawnSync(process.execPath, [...args, '-e', script], { env });
    const file = readdirSync(directory).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error(`node --cpu-prof wrote no profile for ${bundle}`);
    const profile = JSON.parse(readFileSync(join(directory, file), 'utf8')) as CpuProfile;
    const stacks = stacksOf(profile);
    const byPart: Record<string, number> = {};
    profile.samples.forEach((id, i) => {
      const part = partOf(stacks.get(id) ?? [], bundle);
      byPart[part] = (byPart[part] ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000;
    });
    return Object.fromEntries(
      Object.entries(byPart)
        .sort((a, b) => b[1] - a[1])
        .map(([part, ms]) => [part, Math.round(ms * 10) / 10]),
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The largest parts, as "part ms" for a note; the rest summed as "the rest". */
export function describeProfile(parts: Record<string, number>, shown = 6): string {
  const entries = Object.entries(parts);
  const rest = entries.slice(shown).reduce((total, [, ms]) => total + ms, 0);
  const head = entries.slice(0, shown).map(([part, ms]) => `${part} ${ms}`);
  return [...head, ...(rest > 0 ? [`the rest ${Math.round(rest * 10) / 10}`] : [])].join(', ');
}
