import { motoEndpoint } from './emulator';
import { resetMoto } from '../../local-pipeline/emulator/moto';

// Every integration test file starts from an empty emulator account.
beforeAll(async () => {
  await resetMoto(motoEndpoint());
});
