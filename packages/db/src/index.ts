export { createDb, type Db, type DbOptions } from './client.js';
export {
  type EmbeddedPostgresOptions,
  type EmbeddedPostgresServer,
  startEmbeddedPostgres,
} from './embedded-postgres.js';
export {
  DEFAULT_MIGRATIONS_DIR,
  type MigrateResult,
  MigrationError,
  type MigrationFile,
  migrate,
  readMigrations,
} from './migrate.js';
