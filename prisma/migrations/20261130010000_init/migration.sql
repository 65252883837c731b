-- CreateEnum
CREATE TYPE "platform" AS ENUM ('ios', 'iosxe', 'asa');

-- CreateEnum
CREATE TYPE "tunnel_state" AS ENUM ('up', 'down', 'negotiating');

-- CreateEnum
CREATE TYPE "ike_version" AS ENUM ('ikev1', 'ikev2');

-- CreateEnum
CREATE TYPE "poll_status" AS ENUM ('ok', 'failed');

-- CreateEnum
CREATE TYPE "poll_failure_reason" AS ENUM ('timeout', 'unreachable', 'auth', 'host_key', 'prompt', 'parse', 'internal');

-- CreateEnum
CREATE TYPE "event_kind" AS ENUM ('tunnel_discovered', 'state_changed', 'rekeyed', 'configured_peer_vanished', 'tunnel_forgotten', 'host_key_changed', 'remediation');

-- CreateEnum
CREATE TYPE "token_scope" AS ENUM ('read', 'write', 'operate');

-- CreateTable
CREATE TABLE "credentials" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "secret_encrypted" BYTEA,
    "enable_encrypted" BYTEA,
    "private_key_encrypted" BYTEA,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "credentials_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "routers" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL DEFAULT 22,
    "platform" "platform" NOT NULL,
    "site" TEXT,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "poll_interval_seconds" INTEGER,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "credential_id" UUID,
    "host_key" TEXT,
    "pending_host_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_poll_at" TIMESTAMPTZ(3),
    "last_poll_ok" BOOLEAN,
    "last_success_at" TIMESTAMPTZ(3),
    "last_poll_duration_ms" INTEGER,
    "snapshot_at" TIMESTAMPTZ(3),
    "last_warnings" JSONB NOT NULL DEFAULT '{}',
    "crypto_maps" JSONB NOT NULL DEFAULT '[]',
    "poll_failures" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "routers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "polls" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "router_id" UUID NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "poll_status" NOT NULL,
    "failure_reason" "poll_failure_reason",
    "failure_detail" TEXT,
    "duration_ms" INTEGER NOT NULL,
    "bytes_read" BIGINT NOT NULL DEFAULT 0,
    "warnings" JSONB NOT NULL DEFAULT '{}',
    "tunnel_count" INTEGER,

    CONSTRAINT "polls_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tunnels" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "router_id" UUID NOT NULL,
    "peer" TEXT NOT NULL,
    "fvrf" TEXT NOT NULL DEFAULT '',
    "state" "tunnel_state" NOT NULL,
    "configured" BOOLEAN NOT NULL DEFAULT false,
    "interface" TEXT,
    "local_address" TEXT,
    "crypto_map" TEXT,
    "crypto_map_sequence" INTEGER,
    "ike_version" "ike_version",
    "ike_state" TEXT,
    "ike_established" BOOLEAN,
    "ike_expires_at" TIMESTAMPTZ(3),
    "transform" TEXT,
    "mode" TEXT,
    "pfs" TEXT,
    "sa_expires_at" TIMESTAMPTZ(3),
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_change_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tunnels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "flows" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tunnel_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "local_ident" TEXT NOT NULL,
    "remote_ident" TEXT NOT NULL,
    "encaps" BIGINT NOT NULL DEFAULT 0,
    "encrypt" BIGINT NOT NULL DEFAULT 0,
    "digest" BIGINT NOT NULL DEFAULT 0,
    "decaps" BIGINT NOT NULL DEFAULT 0,
    "decrypt" BIGINT NOT NULL DEFAULT 0,
    "verify" BIGINT NOT NULL DEFAULT 0,
    "send_errors" BIGINT NOT NULL DEFAULT 0,
    "recv_errors" BIGINT NOT NULL DEFAULT 0,
    "inbound_sa_count" INTEGER NOT NULL DEFAULT 0,
    "outbound_sa_count" INTEGER NOT NULL DEFAULT 0,
    "inbound_spi" BIGINT,
    "outbound_spi" BIGINT,
    "inbound_expires_at" TIMESTAMPTZ(3),
    "outbound_expires_at" TIMESTAMPTZ(3),
    "inbound_remaining_kb" BIGINT,
    "outbound_remaining_kb" BIGINT,
    "pfs" BOOLEAN,
    "dh_group" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "flows_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sas" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "flow_id" UUID NOT NULL,
    "tunnel_id" UUID NOT NULL,
    "direction" TEXT NOT NULL,
    "protocol" TEXT NOT NULL,
    "spi" BIGINT NOT NULL,
    "transforms" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "mode" TEXT,
    "remaining_seconds" INTEGER,
    "remaining_kilobytes" BIGINT,
    "expires_at" TIMESTAMPTZ(3),
    "status" TEXT,

    CONSTRAINT "sas_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "at" TIMESTAMPTZ(3) NOT NULL,
    "router_id" UUID NOT NULL,
    "tunnel_id" UUID,
    "kind" "event_kind" NOT NULL,
    "peer" TEXT,
    "fvrf" TEXT,
    "detail" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "raw_outputs" (
    "router_id" UUID NOT NULL,
    "command" TEXT NOT NULL,
    "output" TEXT NOT NULL,
    "polled_at" TIMESTAMPTZ(3) NOT NULL,
    "poll_id" UUID NOT NULL,

    CONSTRAINT "raw_outputs_pkey" PRIMARY KEY ("router_id","command")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "scopes" "token_scope"[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "router_id" UUID,
    "target" TEXT,
    "detail" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "credentials_name_key" ON "credentials"("name");

-- CreateIndex
CREATE UNIQUE INDEX "routers_name_key" ON "routers"("name");

-- CreateIndex
CREATE INDEX "routers_enabled_idx" ON "routers"("enabled");

-- CreateIndex
CREATE INDEX "routers_site_idx" ON "routers"("site");

-- CreateIndex
CREATE INDEX "routers_credential_id_idx" ON "routers"("credential_id");

-- CreateIndex
CREATE INDEX "polls_router_id_started_at_id_idx" ON "polls"("router_id", "started_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "polls_started_at_id_idx" ON "polls"("started_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "polls_status_started_at_idx" ON "polls"("status", "started_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "tunnels_router_id_peer_fvrf_key" ON "tunnels"("router_id", "peer", "fvrf");

-- CreateIndex
CREATE INDEX "tunnels_state_router_id_idx" ON "tunnels"("state", "router_id");

-- CreateIndex
CREATE INDEX "tunnels_peer_idx" ON "tunnels"("peer");

-- CreateIndex
CREATE INDEX "tunnels_fvrf_idx" ON "tunnels"("fvrf");

-- CreateIndex
CREATE INDEX "tunnels_sa_expires_at_idx" ON "tunnels"("sa_expires_at");

-- CreateIndex
CREATE INDEX "tunnels_last_change_at_idx" ON "tunnels"("last_change_at");

-- CreateIndex
CREATE UNIQUE INDEX "flows_tunnel_id_key_key" ON "flows"("tunnel_id", "key");

-- CreateIndex
CREATE INDEX "sas_flow_id_idx" ON "sas"("flow_id");

-- CreateIndex
CREATE INDEX "sas_tunnel_id_idx" ON "sas"("tunnel_id");

-- CreateIndex
CREATE INDEX "events_at_id_idx" ON "events"("at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "events_router_id_at_id_idx" ON "events"("router_id", "at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "events_tunnel_id_at_idx" ON "events"("tunnel_id", "at" DESC);

-- CreateIndex
CREATE INDEX "events_kind_at_idx" ON "events"("kind", "at" DESC);

-- CreateIndex
CREATE INDEX "raw_outputs_polled_at_idx" ON "raw_outputs"("polled_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_name_key" ON "api_tokens"("name");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "audit_log_at_id_idx" ON "audit_log"("at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "audit_log_router_id_at_idx" ON "audit_log"("router_id", "at" DESC);

-- AddForeignKey
ALTER TABLE "routers" ADD CONSTRAINT "routers_credential_id_fkey" FOREIGN KEY ("credential_id") REFERENCES "credentials"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "polls" ADD CONSTRAINT "polls_router_id_fkey" FOREIGN KEY ("router_id") REFERENCES "routers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tunnels" ADD CONSTRAINT "tunnels_router_id_fkey" FOREIGN KEY ("router_id") REFERENCES "routers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flows" ADD CONSTRAINT "flows_tunnel_id_fkey" FOREIGN KEY ("tunnel_id") REFERENCES "tunnels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sas" ADD CONSTRAINT "sas_flow_id_fkey" FOREIGN KEY ("flow_id") REFERENCES "flows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sas" ADD CONSTRAINT "sas_tunnel_id_fkey" FOREIGN KEY ("tunnel_id") REFERENCES "tunnels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_router_id_fkey" FOREIGN KEY ("router_id") REFERENCES "routers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_tunnel_id_fkey" FOREIGN KEY ("tunnel_id") REFERENCES "tunnels"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "raw_outputs" ADD CONSTRAINT "raw_outputs_router_id_fkey" FOREIGN KEY ("router_id") REFERENCES "routers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_router_id_fkey" FOREIGN KEY ("router_id") REFERENCES "routers"("id") ON DELETE SET NULL ON UPDATE CASCADE;
