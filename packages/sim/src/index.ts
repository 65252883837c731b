export { SimClock } from './clock.js';
export { type Fleet, type FleetOptions, startFleet } from './fleet.js';
export { deriveHostKey, type HostKey } from './host-key.js';
export { type RouterAccess, SimRouter } from './router.js';
export type * from './types.js';
