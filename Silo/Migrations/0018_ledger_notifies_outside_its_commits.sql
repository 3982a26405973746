-- The ledger no longer notifies from inside its own transactions (0012's trigger). PostgreSQL serializes every
-- committing transaction that has notified, cluster-wide, until after its commit, the synchronous standby's wait
-- included (PreCommit_Notify, src/backend/commands/async.c): the ledger writer's concurrent commits waited for each
-- other. The silo now sends NOTIFY ledger_appended after its commits, from a connection and a transaction of its own
-- (Grains/Events/PostgresAppendNotifier.cs, ADR 0023); readers listen on the same channel as before.
DROP TRIGGER IF EXISTS ledger_appended ON ledger;
DROP FUNCTION IF EXISTS ledger_notify_append();
