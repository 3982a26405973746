using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Payments.Accounts;
using Payments.Contracts;
using Payments.Ledger;

namespace Payments.Grains.Tests.Support;

/// <summary>
/// An account's journal without a grain, for driving <see cref="GroupCommit"/> directly: an in-memory ledger, a state
/// opened with <see cref="DecisionPath.Open"/>, and a gate that holds appends back until the test opens it.
/// </summary>
internal sealed class TestJournal : IAccountJournal
{
    private static readonly DeepCopier<AccountState> Copier =
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<DeepCopier<AccountState>>();

    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TestJournal(RegionRules rules, long initialBalance)
    {
        Rules = rules;
        State = DecisionPath.Open(rules, initialBalance, at: Now);
        Ledger.OpenAccountAsync(
            AccountDecisions.Open(AccountId, rules, Now, DecisionPath.Silo, new OpenAccountRequest(TestRules.Region, rules.Currency, initialBalance, AccountLimits.None)),
            CancellationToken.None).GetAwaiter().GetResult();
        _gate.SetResult();
    }

    public static DateTimeOffset Now { get; } = TestRules.Utc(2026, 11, 25, 10);

    public string AccountId => DecisionPath.AccountId;

    public RegionRules Rules { get; }

    public InMemoryLedgerStore Ledger { get; } = new();

    public AccountState State { get; }

    public List<int> Appends { get; } = [];

    public List<int> Lookups { get; } = [];

    /// <summary>While true, appends fail as the silo's ledger writer does when its queue is full.</summary>
    public bool WriterFull { get; set; }

    /// <summary>From now on appends wait until <see cref="Release"/>.</summary>
    public void Hold() => _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate.TrySetResult();

    public AccountState Copy(AccountState state) => Copier.Copy(state);

    public RowStamp Stamp(string entryId, string requestHash) => new(AccountId, entryId, requestHash, Now, DecisionPath.Silo);

    public LedgerEntry? NextDue(AccountState draft) => AccountDecisions.NextExpiry(AccountId, draft, Rules, Now, DecisionPath.Silo);

    public async Task<bool> AppendAsync(IReadOnlyList<LedgerEntry> rows)
    {
        Appends.Add(rows.Count);
        if (WriterFull)
        {
            throw new LedgerOverloadedException();
        }

        await _gate.Task;
        return (await Ledger.AppendAsync(rows, CancellationToken.None)).All(appended => appended);
    }

    public Task<IReadOnlyList<LedgerEntry>> FindAsync(IReadOnlyCollection<string> entryIds)
    {
        Lookups.Add(entryIds.Count);
        return Ledger.FindManyAsync(AccountId, entryIds, CancellationToken.None);
    }

    public Task<IReadOnlyList<LedgerEntry>> ReadAfterAsync(long seq) => Ledger.ReadAfterAsync(AccountId, seq, CancellationToken.None);

    public Task CommittedAsync(IReadOnlyList<LedgerEntry> rows) => Task.CompletedTask;

    public void GiveUp(Exception exception) => throw new InvalidOperationException("The test journal never gives up.", exception);
}
