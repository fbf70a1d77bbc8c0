import { describeWithPostgres } from '../../helpers/server';
import { defineLimitsSuite } from './suites/limits-suite';

/** The same money-limit checks as on PGlite, against a real PostgreSQL server (TEST_DATABASE_URL; required in CI). */
describeWithPostgres('money limits on PostgreSQL', () => {
  defineLimitsSuite('postgres');
});
