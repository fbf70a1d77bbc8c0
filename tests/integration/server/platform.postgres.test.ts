import { describeWithPostgres } from '../../helpers/server';
import { definePlatformSuite } from './suites/platform-suite';

/** The same suite as on PGlite, against a real PostgreSQL server (TEST_DATABASE_URL; required in CI). */
describeWithPostgres('platform on PostgreSQL', () => {
  definePlatformSuite('postgres');
});
