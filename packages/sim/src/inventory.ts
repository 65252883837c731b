import { stringify } from 'yaml';
import type { RouterAccess } from './router.js';

/**
 * The fleet as an inventory YAML file tunnelwatch imports (the worker's `routers:` format, inline credentials):
 * name, host, port, platform, username, password, enableSecret per router.
 */
export function inventoryYaml(routers: RouterAccess[], comment?: string): string {
  const document = {
    routers: routers.map(({ name, host, port, platform, username, password, enableSecret }) => ({
      name,
      host,
      port,
      platform,
      username,
      password,
      enableSecret,
    })),
  };
  const header = comment ? `${comment.replace(/^/gm, '# ')}\n` : '';
  return header + stringify(document);
}
