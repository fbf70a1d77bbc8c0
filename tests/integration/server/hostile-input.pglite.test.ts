import { describe } from 'vitest';
import { defineHostileInputSuite } from './suites/hostile-input-suite';

describe('hostile input on PGlite', () => {
  defineHostileInputSuite('pglite');
});
