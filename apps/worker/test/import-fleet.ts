import { type Db, RoutersRepository } from '@tunnelwatch/db';
import { importInventory, parseInventory } from '@tunnelwatch/inventory';
import { type Fleet, inventoryYaml } from '@tunnelwatch/sim';

/** Loads a simulated fleet as `tunnelwatch import` of its inventory file would; returns router ids by name. */
export async function importFleet(db: Db, secretKey: Buffer, fleet: Fleet): Promise<Map<string, string>> {
  const inventory = parseInventory(inventoryYaml(fleet.routers), 'yaml');
  const { problems } = await importInventory(db, secretKey, inventory);
  if (problems.length > 0) throw new Error(`inventory problems: ${JSON.stringify(problems)}`);
  const routers = new RoutersRepository(db);
  const ids = new Map<string, string>();
  for (const { name } of fleet.routers) ids.set(name, (await routers.getByName(name))!.id);
  return ids;
}
