-- Raw outputs are rewritten at every poll. Without an index on polled_at (which changes each time) and with free
-- space on every page, those updates stay on their page (HOT: no new index entries). Retention finds old raw
-- outputs with a sequential scan instead: one row per router and command.

-- DropIndex
DROP INDEX "raw_outputs_polled_at_idx";

ALTER TABLE "raw_outputs" SET (fillfactor = 70);
