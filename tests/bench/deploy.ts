import { performance } from 'node:perf_hooks';
import { isMutating } from '../../local-pipeline/fault-proxy';
import { LocalEnvironment } from '../../local-pipeline/local-environment';
import { log, record } from './figures';

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
      log(`    whole deploy job: ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return (
        run.steps
          .filter((step) => awsSteps.has(step.uses ?? ''))
          .reduce((total, step) => total + step.durationMs, 0) / 1000
      );
    };
    const first = await timed();
    local.proxy.clearLog();
    const second = await timed();
    const mutating = local.proxy.requests.filter(isMutating).length;
    record({
      name: 'Deploy steps (stack, Lambda, CodeDeploy), identical second run',
      unit: 's',
      value: second,
      baseline: first,
      baselineName: 'first run',
      ratio: first / second,
      target: '≤ 10 % of the first',
      met: second <= first * 0.1,
      note: 'the three steps that call AWS; lambda-deploy takes lambda/dist as npm run build made it (no second bundling)',
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
