import { motoEndpoint } from '../support/emulator';
import { resetMoto } from '../../local-pipeline/emulator/moto';

// Emulator-backed test files start from an empty account, as under `npm test`.
beforeAll(async () => {
  if (/\.int\.test\.ts$/.test(expect.getState().testPath ?? '')) {
    await resetMoto(motoEndpoint());
  }
});
