/**
 * The shard of a router: FNV-1a of its name modulo the shard count. Stable across processes and restarts, so
 * every API instance and every Prometheus shard agree without coordination.
 */
export function shardOf(routerName: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < routerName.length; i++) {
    hash ^= routerName.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}
