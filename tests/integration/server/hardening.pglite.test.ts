import { describe } from 'vitest';
import { defineHardeningSuite } from './suites/hardening-suite';

describe('hardening on PGlite', () => {
  defineHardeningSuite('pglite');
});
