const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Row ids are UUIDs: anything else is refused before it reaches a query (or a job). */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}
