using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Payments.Contracts;
using Payments.Events;
using Payments.Ledger;
using Payments.Ledger.Changes;

namespace Payments.Integration.Tests.Infrastructure;

/// <summary>
/// Writes accounts and ledger rows through the real <see cref="PostgresLedgerStore"/>, with business dates chosen by the
/// test: each test uses a region of its own and a business day no other test uses.
/// </summary>
internal sealed class LedgerRows(NpgsqlDataSource dataSource)
{
    private readonly Dictionary<string, (long Seq, long Balance)> _accounts = new(StringComparer.Ordinal);

    public PostgresLedgerStore Store { get; } = new(dataSource, new PostgresAppendNotifier(dataSource, NullLogger<PostgresAppendNotifier>.Instance));

    public static string NewRegion() => $"it-{Guid.NewGuid():N}"[..16];

    /// <summary>A business day far from today and from other tests' days.</summary>
    public static DateOnly NewBusinessDate() => new DateOnly(2040, 1, 1).AddDays(Random.Shared.Next(0, 20 * 365));

    public async Task<string> OpenAsync(string region, DateOnly businessDate, long initialBalance = 1_000_000)
    {
        var id = $"acc-{Guid.NewGuid():N}";
        var open = Entry(id, 1, initialBalance, businessDate,
            new AccountOpened("EUR", initialBalance, new AccountSettings(region, AccountLimits.None, AccountStatus.Active)));
        Assert.True(await Store.OpenAccountAsync(open, CancellationToken.None));
        _accounts[id] = (1, initialBalance);
        return id;
    }

    public LedgerEntry Payment(string accountId, DateOnly businessDate, long amount, bool approved = true)
    {
        var (seq, balance) = _accounts[accountId];
        var after = approved ? checked(balance - amount) : balance;
        _accounts[accountId] = (seq + 1, after);
        return Entry(accountId, seq + 1, after, businessDate, new PaymentDecided(
            amount, "EUR", "Shop", "5411", approved ? PaymentStatus.Approved : PaymentStatus.Declined,
            approved ? null : DeclineReason.DailyLimitExceeded));
    }

    public LedgerEntry Deposit(string accountId, DateOnly businessDate, long amount)
    {
        var (seq, balance) = _accounts[accountId];
        _accounts[accountId] = (seq + 1, checked(balance + amount));
        return Entry(accountId, seq + 1, balance + amount, businessDate, new DepositMade(amount, "EUR", "salary"));
    }

    public async Task AppendAsync(params LedgerEntry[] rows)
    {
        Assert.All(await Store.AppendAsync(rows, CancellationToken.None), Assert.True);
    }

    private static LedgerEntry Entry(string accountId, long seq, long balanceAfter, DateOnly businessDate, LedgerChange change) => new(
        accountId, seq, $"{change.Kind}-{seq}", "hash", balanceAfter, balanceAfter,
        new DateTimeOffset(businessDate.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero), businessDate, "region-a", change);
}
