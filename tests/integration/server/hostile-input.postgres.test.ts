import { describeWithPostgres } from '../../helpers/server';
import { defineHostileInputSuite } from './suites/hostile-input-suite';

/** The same hostile requests as on PGlite, against a real PostgreSQL server (TEST_DATABASE_URL; required in CI). */
describeWithPostgres('hostile input on PostgreSQL', () => {
  defineHostileInputSuite('postgres');
});
