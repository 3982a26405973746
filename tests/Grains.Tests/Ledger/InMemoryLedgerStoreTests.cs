using Payments.Contracts;
using Payments.Grains.Tests.Support;
using Payments.Ledger;
using Payments.Ledger.Changes;

namespace Payments.Grains.Tests.Ledger;

/// <summary>The in-memory ledger keeps the PostgreSQL ledger's rule: an account's rows in a batch go in all or none.</summary>
public sealed class InMemoryLedgerStoreTests
{
    private static readonly DateOnly Day = new(2026, 11, 25);
    private readonly InMemoryLedgerStore _store = new();

    [Fact]
    public async Task One_taken_seq_refuses_all_of_that_accounts_rows_and_none_of_the_others()
    {
        await OpenAsync("a");
        await OpenAsync("b");
        var elsewhere = await _store.AppendAsync([Row("a", 3, "elsewhere")], CancellationToken.None);
        Assert.Equal([true], elsewhere);

        var appended = await _store.AppendAsync(
            [Row("a", 2, "a-2"), Row("b", 2, "b-2"), Row("a", 3, "a-3"), Row("b", 3, "b-3"), Row("a", 4, "a-4")],
            CancellationToken.None);

        Assert.Equal([false, true, false, true, false], appended);
        Assert.Equal([1L, 3L], (await _store.ReadAfterAsync("a", 0, CancellationToken.None)).Select(e => e.Seq));
        Assert.Equal([1L, 2L, 3L], (await _store.ReadAfterAsync("b", 0, CancellationToken.None)).Select(e => e.Seq));
    }

    [Fact]
    public async Task A_group_repeating_an_entry_id_is_refused()
    {
        await OpenAsync("a");

        var appended = await _store.AppendAsync([Row("a", 2, "same"), Row("a", 3, "same")], CancellationToken.None);

        Assert.Equal([false, false], appended);
        Assert.Single(await _store.ReadAfterAsync("a", 0, CancellationToken.None));
    }

    private async Task OpenAsync(string account) => Assert.True(await _store.OpenAccountAsync(
        Row(account, 1, "open") with { Change = new AccountOpened("EUR", 10_000, new("region-a", AccountLimits.None, AccountStatus.Active)) },
        CancellationToken.None));

    private static LedgerEntry Row(string account, long seq, string entryId) =>
        ForeignRows.Payment(account, seq, entryId, "hash", 100, 10_000, new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), Day, "region-a");
}
