import { describe } from 'vitest';
import { defineLimitsSuite } from './suites/limits-suite';

describe('money limits on PGlite', () => {
  defineLimitsSuite('pglite');
});
