import type { Db } from '../client.js';

export type RawOutputView = { command: string; output: string; polledAt: Date; pollId: string };

/** The last output of each command per router, written by savePollResult. */
export class RawOutputsRepository {
  constructor(private readonly db: Db) {}

  async listForRouter(routerId: string): Promise<RawOutputView[]> {
    return this.db.prisma.rawOutput.findMany({
      where: { routerId },
      select: { command: true, output: true, polledAt: true, pollId: true },
      orderBy: { command: 'asc' },
    });
  }

  async get(routerId: string, command: string): Promise<RawOutputView | null> {
    return this.db.prisma.rawOutput.findUnique({
      where: { routerId_command: { routerId, command } },
      select: { command: true, output: true, polledAt: true, pollId: true },
    });
  }
}
