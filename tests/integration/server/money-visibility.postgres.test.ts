import { describeWithPostgres } from '../../helpers/server';
import { defineMoneyVisibilitySuite } from './suites/money-visibility-suite';

/** The same walk as on PGlite (the snapshot's lines are built in SQL), against a real PostgreSQL server. */
describeWithPostgres('earnings visibility on PostgreSQL', () => {
  defineMoneyVisibilitySuite('postgres');
});
