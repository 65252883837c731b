-- Remediation actions (docs/remediation.md). No foreign keys: the record outlives the router and the tunnel.

-- CreateEnum
CREATE TYPE "remediation_kind" AS ENUM ('clear_crypto_sa', 'clear_crypto_isakmp');

-- CreateEnum
CREATE TYPE "remediation_status" AS ENUM ('queued', 'sent', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "remediation_actions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" "remediation_kind" NOT NULL,
    "status" "remediation_status" NOT NULL DEFAULT 'queued',
    "router_id" UUID NOT NULL,
    "router_name" TEXT NOT NULL,
    "active_router_id" UUID,
    "tunnel_id" UUID,
    "peer" TEXT,
    "fvrf" TEXT,
    "command" TEXT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "reason" TEXT,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "output" TEXT,
    "error" TEXT,
    "poll_id" UUID,
    "poll_ok" BOOLEAN,

    CONSTRAINT "remediation_actions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex: a router has at most one queued or sent action (NULLs do not collide).
CREATE UNIQUE INDEX "remediation_actions_active_router_id_key" ON "remediation_actions"("active_router_id");

-- CreateIndex
CREATE INDEX "remediation_actions_router_id_requested_at_idx" ON "remediation_actions"("router_id", "requested_at" DESC);
