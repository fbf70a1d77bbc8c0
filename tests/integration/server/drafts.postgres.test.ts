import { describeWithPostgres } from '../../helpers/server';
import { defineDraftsSuite } from './suites/drafts-suite';

/** The same draft checks as on PGlite, against a real PostgreSQL server (TEST_DATABASE_URL; required in CI). */
describeWithPostgres('drafts on PostgreSQL', () => {
  defineDraftsSuite('postgres');
});
