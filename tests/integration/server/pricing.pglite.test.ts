import { describe } from 'vitest';
import { definePricingSuite } from './suites/pricing-suite';

describe('pricing on PGlite', () => {
  definePricingSuite('pglite');
});
