import { describeWithPostgres } from '../../helpers/server';
import { defineAbuseSuite } from './suites/abuse-suite';

/** The same abuse bounds as on PGlite, against a real PostgreSQL server (TEST_DATABASE_URL; required in CI). */
describeWithPostgres('abuse bounds on PostgreSQL', () => {
  defineAbuseSuite('postgres');
});
