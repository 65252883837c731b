-- SAs are updated in place at every poll, keyed by (flow, direction, SPI), instead of deleted and inserted again.

-- DropIndex
DROP INDEX "sas_flow_id_idx";

-- CreateIndex
CREATE UNIQUE INDEX "sas_flow_id_direction_spi_key" ON "sas"("flow_id", "direction", "spi");

-- Free space on every page so that the per-poll updates of tunnels, flows and SAs can stay on their page (HOT
-- updates: no new index entries). Not expressible in schema.prisma; storage parameters only.
ALTER TABLE "tunnels" SET (fillfactor = 80);
ALTER TABLE "flows" SET (fillfactor = 80);
ALTER TABLE "sas" SET (fillfactor = 80);
