using Npgsql;
using NpgsqlTypes;
using Payments.Contracts;
using Payments.Events;
using Payments.Ledger.Changes;
using Payments.Storage;

namespace Payments.Ledger;

/// <summary>
/// The ledger on PostgreSQL. A batch is one <c>INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING RETURNING</c>:
/// one round trip and one commit; a row whose seq or entry id is taken is simply not returned. An account's rows in a
/// batch go in all together or not at all.
/// </summary>
/// <remarks>
/// Every statement that commits runs with no timeout and no cancellation token (<see cref="DurableCommit"/>): it waits
/// for the synchronous standby, and a cancelled wait commits locally and answers success without it.
/// After each commit that brought rows, <see cref="IAppendNotifier"/> tells the feed's readers, outside the commit.
/// </remarks>
public sealed class PostgresLedgerStore(NpgsqlDataSource dataSource, IAppendNotifier notifier) : ILedgerStore
{
    // The envelope and the typed payload are the row; the plain columns between them are its change's projection
    // (LedgerChange.Columns) for set-based readers, never read back into a change.
    private const string Columns =
        "account_id, seq, kind, entry_id, request_hash, balance_after, available_after, created_at, business_date, " +
        "decided_by, payload_version, payload, amount, currency, merchant, mcc, reference, status, decline_reason, " +
        "authorization_id, expires_at, hold_closed, refund_of";

    /// <summary>The columns <see cref="Read"/> reads, in its order.</summary>
    internal const string ReadColumns =
        "account_id, seq, kind, entry_id, request_hash, balance_after, available_after, created_at, business_date, " +
        "decided_by, payload_version, payload";

    private const string AppendSql = $"""
        INSERT INTO ledger ({Columns})
        SELECT * FROM unnest(@account_id, @seq, @kind, @entry_id, @request_hash, @balance_after, @available_after,
                             @created_at, @business_date, @decided_by, @payload_version, @payload, @amount, @currency,
                             @merchant, @mcc, @reference, @status, @decline_reason, @authorization_id, @expires_at,
                             @hold_closed, @refund_of)
        ON CONFLICT DO NOTHING
        RETURNING seq, account_id
        """;

    public async Task<bool> OpenAccountAsync(LedgerEntry open, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var directory = new NpgsqlCommand(
            """
            INSERT INTO accounts (account_id, home_region, currency, created_at)
            VALUES (@account_id, @home_region, @currency, @created_at)
            ON CONFLICT DO NOTHING
            """, connection, transaction))
        {
            directory.Parameters.AddWithValue("account_id", open.AccountId);
            var opened = (AccountOpened)open.Change;
            directory.Parameters.AddWithValue("home_region", opened.Settings.Region);
            directory.Parameters.AddWithValue("currency", opened.Currency);
            directory.Parameters.AddWithValue("created_at", open.CreatedAt);
            if (await directory.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        await using (var insert = AppendCommand([open]))
        {
            insert.Connection = connection;
            insert.Transaction = transaction;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await DurableCommit.CommitAsync(transaction);
        notifier.Appended();
        return true;
    }

    public async Task<bool[]> AppendAsync(IReadOnlyList<LedgerEntry> batch, CancellationToken cancellationToken)
    {
        var appended = new bool[batch.Count];
        var refused = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        while (true)
        {
            var attempt = Enumerable.Range(0, batch.Count).Where(i => !refused.Contains(batch[i].AccountId)).ToList();
            var rows = attempt.ConvertAll(i => batch[i]);
            if (rows.Count == 0)
            {
                return appended;
            }

            // One row per account cannot go in half-way: the statement's own transaction will do, and its commit
            // travels with the insert. Otherwise BEGIN travels with the insert and COMMIT is one more round trip.
            var grouped = rows.DistinctBy(e => e.AccountId, StringComparer.Ordinal).Count() < rows.Count;
            await using var transaction = grouped ? await connection.BeginTransactionAsync(CancellationToken.None) : null;
            var inserted = await InsertAsync(connection, transaction, rows);
            if (transaction is not null)
            {
                var partial = PartlyInsertedAccounts(rows, inserted);
                if (partial.Count > 0)
                {
                    // Some of an account's rows went in and some did not (another activation took a seq meanwhile):
                    // none of them may stay, since the later ones were decided on top of the refused ones.
                    await transaction.RollbackAsync(CancellationToken.None);
                    refused.UnionWith(partial);
                    continue;
                }

                await DurableCommit.CommitAsync(transaction);
            }

            foreach (var i in attempt)
            {
                appended[i] = inserted.Contains((batch[i].AccountId, batch[i].Seq));
            }

            if (inserted.Count > 0)
            {
                notifier.Appended();
            }

            return appended;
        }
    }

    private static async Task<HashSet<(string, long)>> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<LedgerEntry> rows)
    {
        await using var command = AppendCommand(rows);
        command.Connection = connection;
        command.Transaction = transaction;
        return [.. await command.ReadAllAsync(reader => (reader.GetString(1), reader.GetInt64(0)), CancellationToken.None)];
    }

    private static HashSet<string> PartlyInsertedAccounts(List<LedgerEntry> rows, HashSet<(string, long)> inserted)
    {
        var someIn = new HashSet<string>(StringComparer.Ordinal);
        var someOut = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            (inserted.Contains((row.AccountId, row.Seq)) ? someIn : someOut).Add(row.AccountId);
        }

        someIn.IntersectWith(someOut);
        return someIn;
    }

    public Task<IReadOnlyList<LedgerEntry>> ReadAfterAsync(string accountId, long afterSeq, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT {ReadColumns} FROM ledger WHERE account_id = @account_id AND seq > @seq ORDER BY seq",
            command => command.Parameters.AddWithValue("seq", afterSeq),
            accountId, cancellationToken);

    public async Task<LedgerEntry?> FindAsync(string accountId, string entryId, CancellationToken cancellationToken) =>
        (await QueryAsync(
            $"SELECT {ReadColumns} FROM ledger WHERE account_id = @account_id AND entry_id = @entry_id",
            command => command.Parameters.AddWithValue("entry_id", entryId),
            accountId, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<LedgerEntry>> FindManyAsync(
        string accountId, IReadOnlyCollection<string> entryIds, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT {ReadColumns} FROM ledger WHERE account_id = @account_id AND entry_id = ANY(@entry_ids)",
            command => command.Parameters.Add(new NpgsqlParameter<string[]>("entry_ids", NpgsqlDbType.Array | NpgsqlDbType.Text)
            {
                TypedValue = [.. entryIds],
            }),
            accountId, cancellationToken);

    public Task<IReadOnlyList<LedgerEntry>> AuthorizationRowsAsync(
        string accountId, IReadOnlyCollection<string> authorizationIds, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT {ReadColumns} FROM ledger WHERE account_id = @account_id AND authorization_id = ANY(@authorization_ids) ORDER BY seq",
            command => command.Parameters.Add(new NpgsqlParameter<string[]>("authorization_ids", NpgsqlDbType.Array | NpgsqlDbType.Text)
            {
                TypedValue = [.. authorizationIds],
            }),
            accountId, cancellationToken);

    public Task<IReadOnlyList<LedgerEntry>> PageAsync(
        string accountId, LedgerList list, long? beforeSeq, int limit, CancellationToken cancellationToken) =>
        QueryAsync(
            $"""
            SELECT {ReadColumns} FROM ledger
            WHERE account_id = @account_id AND {ListPredicate(list)} AND seq < @before
            ORDER BY seq DESC LIMIT @limit
            """,
            command =>
            {
                command.Parameters.AddWithValue("before", beforeSeq ?? long.MaxValue);
                command.Parameters.AddWithValue("limit", limit);
            },
            accountId, cancellationToken);

    /// <summary>The rows of a list in SQL, as <see cref="LedgerEntry.IsIn"/> says: an advice opens a hold exactly when it has an authorization id.</summary>
    private static string ListPredicate(LedgerList list) => list switch
    {
        LedgerList.Payments => "(kind = 'payment' OR (kind = 'advice' AND authorization_id IS NULL))",
        LedgerList.Authorizations => "(kind = 'authorization' OR (kind = 'advice' AND authorization_id IS NOT NULL))",
        _ => throw new ArgumentOutOfRangeException(nameof(list), list, "No such list."),
    };

    private async Task<IReadOnlyList<LedgerEntry>> QueryAsync(
        string sql, Action<NpgsqlCommand> bind, string accountId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("account_id", accountId);
        bind(command);
        return await command.ReadAllAsync(Read, cancellationToken);
    }

    private static NpgsqlCommand AppendCommand(IReadOnlyList<LedgerEntry> batch)
    {
        // Outside a transaction the statement carries its own commit.
        var command = new NpgsqlCommand(AppendSql) { CommandTimeout = DurableCommit.NoTimeout };
        var columns = new LedgerColumns[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            columns[i] = batch[i].Change.Columns(batch[i]);
        }

        Add(command, "account_id", NpgsqlDbType.Text, batch, e => e.AccountId);
        Add(command, "seq", NpgsqlDbType.Bigint, batch, e => e.Seq);
        Add(command, "kind", NpgsqlDbType.Text, batch, e => EntryKinds.Name(e.Kind));
        Add(command, "entry_id", NpgsqlDbType.Text, batch, e => e.EntryId);
        Add(command, "request_hash", NpgsqlDbType.Text, batch, e => e.RequestHash);
        Add(command, "balance_after", NpgsqlDbType.Bigint, batch, e => e.BalanceAfter);
        Add(command, "available_after", NpgsqlDbType.Bigint, batch, e => e.AvailableAfter);
        Add(command, "created_at", NpgsqlDbType.TimestampTz, batch, e => e.CreatedAt.UtcDateTime);
        Add(command, "business_date", NpgsqlDbType.Date, batch, e => e.BusinessDate);
        Add(command, "decided_by", NpgsqlDbType.Text, batch, e => e.DecidedBy);
        Add(command, "payload_version", NpgsqlDbType.Smallint, batch, _ => LedgerPayload.Version);
        Add(command, "payload", NpgsqlDbType.Jsonb, batch, e => LedgerPayload.Write(e.Change));
        Add(command, "amount", NpgsqlDbType.Bigint, columns, c => c.Amount);
        Add(command, "currency", NpgsqlDbType.Char, columns, c => c.Currency);
        Add(command, "merchant", NpgsqlDbType.Text, columns, c => c.Merchant);
        Add(command, "mcc", NpgsqlDbType.Char, columns, c => c.Mcc);
        Add(command, "reference", NpgsqlDbType.Text, columns, c => c.Reference);
        Add(command, "status", NpgsqlDbType.Text, columns, c => StatusName(c.Status));
        Add(command, "decline_reason", NpgsqlDbType.Text, columns, c => c.DeclineReason is { } r ? DeclineCodes.ToCode(r) : null);
        Add(command, "authorization_id", NpgsqlDbType.Text, columns, c => c.AuthorizationId);
        Add(command, "expires_at", NpgsqlDbType.TimestampTz, columns, c => c.ExpiresAt?.UtcDateTime);
        Add(command, "hold_closed", NpgsqlDbType.Boolean, columns, c => c.HoldClosed);
        Add(command, "refund_of", NpgsqlDbType.Text, columns, c => c.RefundOf);
        return command;
    }

    private static void Add<TRow, T>(
        NpgsqlCommand command, string name, NpgsqlDbType type, IReadOnlyList<TRow> batch, Func<TRow, T> value)
    {
        var values = new T[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            values[i] = value(batch[i]);
        }

        command.Parameters.Add(new NpgsqlParameter<T[]>(name, NpgsqlDbType.Array | type) { TypedValue = values });
    }

    /// <summary>A decision's status as the <c>status</c> column holds it.</summary>
    internal static string StatusName(PaymentStatus status) => status switch
    {
        PaymentStatus.Approved => "approved",
        PaymentStatus.Declined => "declined",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "No ledger status."),
    };

    internal static LedgerEntry Read(NpgsqlDataReader reader)
    {
        var kind = EntryKinds.Parse(reader.GetString(2));
        return new(
            AccountId: reader.GetString(0),
            Seq: reader.GetInt64(1),
            EntryId: reader.GetString(3),
            RequestHash: reader.GetString(4),
            BalanceAfter: reader.GetInt64(5),
            AvailableAfter: reader.GetInt64(6),
            CreatedAt: new DateTimeOffset(reader.GetDateTime(7), TimeSpan.Zero),
            BusinessDate: reader.GetFieldValue<DateOnly>(8),
            DecidedBy: reader.GetString(9),
            Change: LedgerPayload.Read(kind, reader.GetInt16(10), reader.GetString(11)));
    }
}
