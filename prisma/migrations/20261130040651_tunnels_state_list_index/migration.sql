-- GET /api/v1/tunnels?state=… orders by (router_id, peer, fvrf). With those columns after state, the index returns
-- the rows of one state already in that order, so a page reads limit + 1 rows instead of sorting every tunnel in
-- that state. peer and fvrf never change for a tunnel, so poll updates stay HOT as before.

-- DropIndex
DROP INDEX "tunnels_state_router_id_idx";

-- CreateIndex
CREATE INDEX "tunnels_state_router_id_peer_fvrf_idx" ON "tunnels"("state", "router_id", "peer", "fvrf");
