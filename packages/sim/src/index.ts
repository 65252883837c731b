export { SimClock } from './clock.js';
export { startControlServer } from './control-server.js';
export { type Fleet, type FleetOptions, startFleet } from './fleet.js';
export { deriveHostKey, type HostKey } from './host-key.js';
export { inventoryYaml } from './inventory.js';
export { type RouterAccess, SimRouter } from './router.js';
export type { RouterConfig, TunnelConfig } from './router-config.js';
export type { RouterModel } from './router-model.js';
export {
  BUILT_IN_SCENARIOS,
  type DmvpnSpec,
  type GenerateSpec,
  generateRouters,
  loadScenario,
  type Scenario,
  type ScenarioEvent,
  scenarioRouters,
  scheduleEvents,
} from './scenario.js';
export type * from './types.js';
