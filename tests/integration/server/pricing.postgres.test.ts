import { describeWithPostgres } from '../../helpers/server';
import { definePricingSuite } from './suites/pricing-suite';

/** The same pricing checks as on PGlite, against a real PostgreSQL server (TEST_DATABASE_URL; required in CI). */
describeWithPostgres('pricing on PostgreSQL', () => {
  definePricingSuite('postgres');
});
