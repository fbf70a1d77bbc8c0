import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../../helpers/server';
import { definePlatformSuite } from './suites/platform-suite';

/**
 * The same suite against a real PostgreSQL server. Without TEST_DATABASE_URL it does not
 * run, and says so by name in the output; in CI (CI=true) that is a failure.
 */
if (testDatabaseUrl()) {
  describe('platform on PostgreSQL', () => {
    definePlatformSuite('postgres');
  });
} else {
  describe('platform on PostgreSQL', () => {
    it('DID NOT RUN: TEST_DATABASE_URL is unset (start one with: eval "$(bash scripts/pg-cluster.sh start)") — required when CI=true', () => {
      console.warn('PostgreSQL suite not run: TEST_DATABASE_URL is unset.');
      expect(process.env.CI, 'CI must test against PostgreSQL: set TEST_DATABASE_URL').not.toBe('true');
    });
  });
}
