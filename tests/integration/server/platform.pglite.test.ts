import { describe } from 'vitest';
import { definePlatformSuite } from './suites/platform-suite';

describe('platform on PGlite', () => {
  definePlatformSuite('pglite');
});
