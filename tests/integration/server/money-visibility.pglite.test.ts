import { describe } from 'vitest';
import { defineMoneyVisibilitySuite } from './suites/money-visibility-suite';

describe('earnings visibility on PGlite', () => {
  defineMoneyVisibilitySuite('pglite');
});
