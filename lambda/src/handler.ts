import { fromEnv } from './deps';
import { createHandler } from './detector';

export const handler = createHandler(fromEnv());
