// Package store keeps signpost's state in Redis: sessions with their
// compare-and-set versions, the outbox written in the same atomic step, the
// update ids remembered against repeats, profiles and content bundles.
//
// It is the only package that talks to go-redis. Every key is built in
// keys.go; every multi-key change is one Lua script in scripts.go whose keys
// share the person's hash tag {u:ID}, so the same code runs on one Redis,
// Sentinel or Redis Cluster.
//
// Choices worth knowing:
//
//   - A session is one STRING, "<version>:<data>". It costs about 730 bytes
//     in Redis for 600 bytes of data; a HASH of version and data costs about
//     900, because data that long leaves the HASH's compact encoding.
//   - The event path is two round trips: Load (GET) and Commit (EVALSHA,
//     falling back to EVAL once after a Redis restart). Erasure adds a SCAN,
//     which walks the whole keyspace; it is rare enough to afford that.
//   - A session written where none exists gets the clock's Unix microseconds
//     as its version, later writes add one. Versions therefore do not restart
//     at 1 after an erasure, and a runner holding a version read before the
//     erasure cannot overwrite the new session.
//   - Expiry is idle expiry: every Commit restarts it on the session, outbox
//     and profile. Commit.TTL zero means Config.SessionTTL (30 days unless
//     set); negative means none. Remembered update ids expire after the
//     dedupe window whatever the session's TTL.
//   - Erasure removes the remembered update ids with everything else, so
//     that nothing of the person is left once the goodbye is acknowledged.
package store
