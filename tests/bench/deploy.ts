import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMutating } from '../../local-pipeline/emulator/fault-proxy';
import { LocalEnvironment } from '../../local-pipeline/local-environment';
import { repoRoot } from '../../local-pipeline/emulator/tools';
import { log, median, record } from './figures';
import { describeProfile, profileLoad } from './load-profile';

/**
 * What a step costs before it makes any call: starting Node and evaluating the action's bundle
 * (run without inputs, it stops at the first input check). Median of five, and a CPU profile of
 * one more (where the time goes: compiling the bundle, each package's module evaluation).
 */
function startAndLoad(action: string): { seconds: number; profileMs: Record<string, number> } {
  const bundle = join(repoRoot, 'actions', action, 'dist', 'index.js');
  const env = { PATH: process.env.PATH ?? '' };
  const samples = Array.from({ length: 5 }, () => {
    const started = performance.now();
    spawnSync(process.execPath, [bundle], { env });
    return (performance.now() - started) / 1000;
  });
  return { seconds: median(samples), profileMs: profileLoad(bundle, env) };
}

export async function deploy(motoEndpoint: string): Promise<void> {
  log('Deploy sequence (deploy.yml against moto), first run and an identical second run…');
  const local = await LocalEnvironment.start(motoEndpoint);
  try {
    // The deploy sequence against AWS: the three steps that talk to it (cfn-lint and the build
    // run the same either way and touch no AWS API; their time is logged, not compared).
    const awsSteps = new Set([
      './actions/cfn-deploy',
      './actions/lambda-deploy',
      './actions/codedeploy-push',
    ]);
    const timed = async () => {
      const started = performance.now();
      const run = await local.deploy();
      local.stopProducerService();
      const failed = run.steps.find((step) => step.status === 'failed');
      if (failed) throw new Error(`deploy step ${failed.name} failed: ${failed.reason ?? ''}`);
      const steps = run.steps.filter((step) => awsSteps.has(step.uses ?? ''));
      const seconds = Object.fromEntries(
        steps.map((step) => [step.uses ?? step.name, step.durationMs / 1000]),
      );
      log(
        `    whole deploy job ${((performance.now() - started) / 1000).toFixed(1)} s; ${Object.entries(
          seconds,
        )
          .map(([step, s]) => `${step} ${s.toFixed(2)} s`)
          .join(', ')}`,
      );
      return { total: steps.reduce((total, step) => total + step.durationMs, 0) / 1000, seconds };
    };
    const firstRun = await timed();
    local.proxy.clearLog();
    const secondRun = await timed();
    const [first, second] = [firstRun.total, secondRun.total];
    const loads = Object.fromEntries(
      [...awsSteps].map((step) => [step, startAndLoad(step.replace('./actions/', ''))]),
    );
    const loading = Object.fromEntries(
      Object.entries(loads).map(([step, load]) => [step, load.seconds]),
    );
    const loadingTotal = Object.values(loading).reduce((total, s) => total + s, 0);
    const mutating = local.proxy.requests.filter(isMutating).length;
    const profiles = Object.entries(loads)
      .map(([step, load]) => `${step}: ${describeProfile(load.profileMs, 4)}`)
      .join('; ');
    record({
      name: 'Deploy steps (stack, Lambda, CodeDeploy), identical second run',
      unit: 's',
      value: second,
      baseline: first,
      baselineName: 'first run',
      ratio: first / second,
      target: '≤ 10 % of the first',
      met: second <= first * 0.1,
      note: `the three steps that call AWS; lambda-deploy takes lambda/dist as npm run build made it (no second bundling). Second run by step: ${Object.entries(
        secondRun.seconds,
      )
        .map(([step, s]) => `${step} ${s.toFixed(2)} s`)
        .join(
          ', ',
        )}; of which starting Node and loading the three action bundles takes ${loadingTotal.toFixed(2)} s (measured alone, same run); the rest is the AWS calls. CPU profile of each load (ms): ${profiles}`,
      details: {
        firstRun: firstRun.seconds,
        secondRun: secondRun.seconds,
        startAndLoadSeconds: loading,
        loadProfileMs: Object.fromEntries(
          Object.entries(loads).map(([step, load]) => [step, load.profileMs]),
        ),
      },
    });
    record({
      name: 'Deploy, mutating calls on the second run',
      unit: 'calls',
      value: mutating,
      baseline: undefined,
      baselineName: '',
      ratio: undefined,
      target: '0',
      met: mutating === 0,
    });
  } finally {
    await local.stop();
  }
}
