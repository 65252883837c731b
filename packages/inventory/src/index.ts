export { type ImportSummary, importInventory } from './import-inventory.js';
export {
  type Inventory,
  type InventoryCredential,
  type InventoryFormat,
  type InventoryPlatform,
  type InventoryProblem,
  type InventoryRouter,
  inlineCredentialName,
  inventoryFormatOf,
  parseInventory,
} from './inventory-file.js';
