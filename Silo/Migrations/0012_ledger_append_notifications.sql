-- Feed readers (the API's long polls, the webhook workers) wait for new ledger rows without polling the database: every
-- statement that inserts into the ledger notifies the channel ledger_appended, and each process LISTENs on one
-- connection (Grains/Events/PostgresLedgerAppends.cs). PostgreSQL delivers a notification when the writing transaction
-- commits, and one per transaction however many rows or statements it has (the payload is empty, so they coalesce).
-- A hint only: readers still read by the transaction-id horizon (ADR 0016) and poll slowly in case one is lost (a
-- failover drops the listening connections; they listen again on the new primary).
CREATE OR REPLACE FUNCTION ledger_notify_append() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('ledger_appended', '');
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS ledger_appended ON ledger;
CREATE TRIGGER ledger_appended AFTER INSERT ON ledger FOR EACH STATEMENT EXECUTE FUNCTION ledger_notify_append();
