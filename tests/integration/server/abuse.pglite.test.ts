import { describe } from 'vitest';
import { defineAbuseSuite } from './suites/abuse-suite';

describe('abuse bounds on PGlite', () => {
  defineAbuseSuite('pglite');
});
