import { describeWithPostgres } from '../../helpers/server';
import { defineHardeningSuite } from './suites/hardening-suite';

/** The same hardening checks as on PGlite, against a real PostgreSQL server (TEST_DATABASE_URL; required in CI). */
describeWithPostgres('hardening on PostgreSQL', () => {
  defineHardeningSuite('postgres');
});
