using Microsoft.Extensions.Logging.Abstractions;
using Payments.Accounts;
using Payments.Contracts;
using Payments.Grains.Tests.Support;
using Payments.Ledger;

namespace Payments.Grains.Tests.Ledger;

/// <summary>The silo's ledger writer, without a silo: its queue is bounded.</summary>
public sealed class LedgerWriterTests
{
    [Fact]
    public async Task Past_its_bound_the_writer_refuses_an_append_at_once_and_writes_nothing_of_it()
    {
        var store = new InMemoryLedgerStore();
        using var metrics = new LedgerMetrics();
        var writer = new LedgerWriter(store, metrics, NullLogger<LedgerWriter>.Instance);
        var rules = TestRules.Paris();
        var open = AccountDecisions.Open(DecisionPath.AccountId, rules, TestJournal.Now, DecisionPath.Silo,
            new OpenAccountRequest(TestRules.Region, rules.Currency, 1_000, AccountLimits.None));
        // Not started: nothing takes appends off the queue.
        var queued = Enumerable.Range(0, LedgerWriter.MaxQueued).Select(_ => writer.AppendAsync([open])).ToList();

        var refused = writer.AppendAsync([open]);

        Assert.All(queued, append => Assert.False(append.IsCompleted));
        Assert.True(refused.IsFaulted);
        await Assert.ThrowsAsync<LedgerOverloadedException>(() => refused);
        Assert.Empty(await store.ReadAfterAsync(open.AccountId, 0, CancellationToken.None));
    }
}
