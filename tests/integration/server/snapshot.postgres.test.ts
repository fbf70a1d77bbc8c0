import { describeWithPostgres } from '../../helpers/server';
import { defineSnapshotSuite } from './suites/snapshot-suite';

/** The same snapshot suite as on PGlite, against a real PostgreSQL server (TEST_DATABASE_URL; required in CI). */
describeWithPostgres('inbox snapshot on PostgreSQL', () => {
  defineSnapshotSuite('postgres');
});
