import { describe } from 'vitest';
import { defineDraftsSuite } from './suites/drafts-suite';

describe('drafts on PGlite', () => {
  defineDraftsSuite('pglite');
});
