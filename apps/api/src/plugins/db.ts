import { type ApiRepositories, createApiRepositories, createDb, type Db } from '@tunnelwatch/db';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    /** The db package's repositories; none of them returns a decrypted secret. */
    repos: ApiRepositories;
  }
}

/** The Postgres pool (Prisma + raw SQL), closed with the server. Opening never connects, so start never fails here. */
export default fp<{ databaseUrl: string; secretKey: Buffer | null }>(
  async (fastify, options) => {
    const db = createDb({ url: options.databaseUrl });
    fastify.decorate('db', db);
    fastify.decorate('repos', createApiRepositories(db, { secretKey: options.secretKey }));
    fastify.addHook('onClose', () => db.close());
  },
  { name: 'db' },
);
