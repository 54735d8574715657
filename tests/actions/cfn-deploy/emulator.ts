import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { runActionBundle } from '../../../local-pipeline/workflows/action-runner';
import { emulatorEnvironment, testClientConfig } from '../../../local-pipeline/emulator/clients';
import { startFaultProxy, type FaultProxy } from '../../../local-pipeline/emulator/fault-proxy';
import { resetMoto } from '../../../local-pipeline/emulator/moto';
import { repoRoot } from '../../../local-pipeline/emulator/tools';
import { motoEndpoint } from '../../support/emulator';

/** Set-up shared by the cfn-deploy emulator tests: each test starts from an empty account. */
export const STACK_NAME = 'anomaly-detection';
export const TEMPLATE_PATH = 'cloudformation/anomaly-detection.json';
export const realTemplate = readFileSync(join(repoRoot, TEMPLATE_PATH), 'utf8');
/** What the deploy workflow passes, less the e-mail (no subscription on the emulator). */
export const PARAMETERS = 'LogRetentionDays=14\nAlertEmail=';

export const emulator = {
  proxy: undefined as unknown as FaultProxy,
  workspace: '',
};

export const cloudformation = () => new CloudFormationClient(testClientConfig(motoEndpoint()));

export function writeWorkspaceFile(path: string, body: string): void {
  writeFileSync(join(emulator.workspace, path), body);
}

/** Runs the built action on the workspace; `env` adds to (or overrides) the runner's variables. */
export function deploy(inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
  return runActionBundle(
    'cfn-deploy',
    { 'stack-name': STACK_NAME, template: TEMPLATE_PATH, ...inputs },
    {
      workspace: emulator.workspace,
      env: { ...emulatorEnvironment(emulator.proxy.endpoint), ...env },
    },
  );
}

export function useEmulator(): void {
  beforeAll(async () => {
    emulator.proxy = await startFaultProxy(motoEndpoint());
  });
  afterAll(async () => {
    await emulator.proxy.stop();
  });
  beforeEach(async () => {
    await resetMoto(motoEndpoint());
    emulator.workspace = mkdtempSync(join(tmpdir(), 'cfn-deploy-'));
    mkdirSync(join(emulator.workspace, 'cloudformation'));
    writeWorkspaceFile(TEMPLATE_PATH, realTemplate);
    emulator.proxy.clearFaults();
    emulator.proxy.clearLog();
  });
  afterEach(() => {
    rmSync(emulator.workspace, { recursive: true, force: true });
  });
}

/** Deploys the stack as the deploy workflow first does, then forgets the requests it made. */
export async function deployedStack(inputs: Record<string, string> = {}) {
  const first = await deploy({ 'parameter-overrides': PARAMETERS, ...inputs });
  if (first.exitCode !== 0) throw new Error(`setting up the stack failed: ${first.failure ?? ''}`);
  emulator.proxy.clearLog();
  return first;
}
