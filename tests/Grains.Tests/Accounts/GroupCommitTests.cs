using Microsoft.Extensions.Logging.Abstractions;
using Payments.Accounts;
using Payments.Contracts;
using Payments.Grains.Tests.Support;
using Payments.Ledger;

namespace Payments.Grains.Tests.Accounts;

/// <summary>The account's group commit driven directly, with no silo: grouping, the waiting bound, conflicts.</summary>
public sealed class GroupCommitTests
{
    private readonly TestJournal _journal = new(TestRules.Paris(), 10_000);

    [Fact]
    public async Task Requests_that_queue_behind_a_commit_are_made_durable_together_in_the_next_append()
    {
        var commits = NewCommits(maxWaiting: 100);
        _journal.Hold();

        var first = Pay(commits, 100);
        var queued = Enumerable.Range(0, 10).Select(_ => Pay(commits, 100)).ToList();
        _journal.Release();
        var answers = await Task.WhenAll(queued.Prepend(first));

        Assert.All(answers, a => Assert.Equal(RecordOutcome.Created, a.Outcome));
        Assert.Equal([1, 10], _journal.Appends);
        Assert.Equal(10_000 - 1_100, _journal.State.Balance);
        Assert.Equal(12, _journal.State.LastSeq);
    }

    [Fact]
    public async Task Past_the_waiting_bound_a_request_is_refused_at_once_and_nothing_is_recorded_for_it()
    {
        var commits = NewCommits(maxWaiting: 3);
        _journal.Hold();
        var inFlight = Pay(commits, 100);
        var waiting = Enumerable.Range(0, 3).Select(_ => Pay(commits, 100)).ToList();

        var refused = Pay(commits, 100);

        Assert.True(refused.IsCompleted);
        Assert.Equal(RecordOutcome.Overloaded, (await refused).Outcome);
        _journal.Release();
        await Task.WhenAll(waiting.Prepend(inFlight));
        Assert.Equal(5, (await _journal.Ledger.ReadAfterAsync(_journal.AccountId, 0, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_full_ledger_writer_answers_overloaded_and_the_account_goes_on_without_reloading()
    {
        var commits = NewCommits(maxWaiting: 100);
        _journal.WriterFull = true;
        var refused = await Pay(commits, 100, "k1");
        _journal.WriterFull = false;

        // The test journal throws if the account gives up (deactivates); the same key is free for the retry.
        var retried = await Pay(commits, 100, "k1");

        Assert.Equal(RecordOutcome.Overloaded, refused.Outcome);
        Assert.Null(refused.Entry);
        Assert.Equal(RecordOutcome.Created, retried.Outcome);
        Assert.Equal(10_000 - 100, _journal.State.Balance);
        Assert.Equal(2, _journal.State.LastSeq);
    }

    [Fact]
    public async Task A_refused_group_replays_the_keys_found_in_one_lookup_and_decides_the_rest_again_on_top()
    {
        var commits = NewCommits(maxWaiting: 100);
        // Another activation recorded "k1" (the same request) and took seq 2 behind this one's back.
        var foreign = new PaymentRequest(4_000, "EUR", "Boulangerie du Port", TestRules.GroceryMcc, "k1");
        var other = AccountDecisions.Pay(
            _journal.State, _journal.Rules, _journal.Stamp("k1", RequestFingerprint.Of(foreign)) with { DecidedBy = "region-b" }, foreign);
        Assert.All(await _journal.Ledger.AppendAsync([other], CancellationToken.None), Assert.True);
        _journal.Hold();
        var blocker = Pay(commits, 100, "k0");
        var replay = commits.RecordAsync("k1", RequestFingerprint.Of(foreign), Decide(foreign));
        var fresh = Pay(commits, 7_000, "k2");
        _journal.Release();

        var answers = await Task.WhenAll(blocker, replay, fresh);

        Assert.Equal((RecordOutcome.Replayed, "region-b"), (answers[1].Outcome, answers[1].Entry!.DecidedBy));
        // 10,000 - 4,000 (foreign) - 100 leaves 5,900: the 7,000 is declined on the caught-up state.
        Assert.Equal(PaymentStatus.Declined, answers[2].Entry!.ToPayment().Status);
        // Each refused group looks all its keys up in one query: k0's group, then k1 and k2 together.
        Assert.Equal([1, 2], _journal.Lookups);
        Assert.Equal(5_900, _journal.State.Balance);
    }

    private GroupCommit NewCommits(int maxWaiting) => new(_journal, maxWaiting, NullLogger.Instance);

    private Task<(RecordOutcome Outcome, LedgerEntry? Entry)> Pay(GroupCommit commits, long amount, string? key = null)
    {
        var request = new PaymentRequest(amount, "EUR", "Boulangerie du Port", TestRules.GroceryMcc, key);
        return commits.RecordAsync(key, RequestFingerprint.Of(request), Decide(request));
    }

    private DecideEntry Decide(PaymentRequest request) =>
        (account, stamp) => AccountDecisions.Pay(account, _journal.Rules, stamp, request);
}
