import { createDb, type Db } from '@tunnelwatch/db';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
}

/** The Postgres pool (Prisma + raw SQL), closed with the server. Opening never connects, so start never fails here. */
export default fp<{ databaseUrl: string }>(
  async (fastify, options) => {
    const db = createDb({ url: options.databaseUrl });
    fastify.decorate('db', db);
    fastify.addHook('onClose', () => db.close());
  },
  { name: 'db' },
);
