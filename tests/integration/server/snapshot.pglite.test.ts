import { describeSnapshot } from './suites/snapshot-suite';

/** The snapshot route on PGlite; snapshot.postgres.test.ts runs the same suite on PostgreSQL. */
describeSnapshot('inbox snapshot on PGlite', 'pglite');
