import { setupTestPostgres } from './src/testing.js';

export default function setup(): Promise<() => Promise<void>> {
  return setupTestPostgres();
}
