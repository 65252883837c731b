import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

export type ApiV1Options = { secretKey: Buffer | null; inventoryChangedChannel: string };

/** REST `/api/v1` (DESIGN.md §7). */
const apiV1: FastifyPluginAsyncTypebox<ApiV1Options> = async () => {};

export default apiV1;
