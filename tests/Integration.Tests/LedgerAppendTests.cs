using Npgsql;
using Payments.Integration.Tests.Infrastructure;
using Payments.Ledger;

namespace Payments.Integration.Tests;

/// <summary>
/// The PostgreSQL ledger's append: an account's rows in a batch go in all together or not at all, whatever other
/// accounts in the same batch do, including when two activations of one account race for the same seqs.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class LedgerAppendTests(RealServers servers) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(servers.PostgresConnectionString);
    private readonly DateOnly _day = LedgerRows.NewBusinessDate();

    [Fact]
    public async Task One_taken_seq_refuses_all_of_that_accounts_rows_and_none_of_the_others()
    {
        var rows = new LedgerRows(_db);
        var (contended, other) = (await rows.OpenAsync(LedgerRows.NewRegion(), _day), await rows.OpenAsync(LedgerRows.NewRegion(), _day));
        var mine = new[] { rows.Payment(contended, _day, 100), rows.Payment(contended, _day, 200), rows.Payment(contended, _day, 300) };
        await rows.AppendAsync(mine[1] with { EntryId = "other-activation" });
        var theirs = new[] { rows.Payment(other, _day, 400), rows.Payment(other, _day, 500) };

        var appended = await rows.Store.AppendAsync([mine[0], theirs[0], mine[1], theirs[1], mine[2]], CancellationToken.None);

        Assert.Equal([false, true, false, true, false], appended);
        Assert.Equal([1L, 3L], (await rows.Store.ReadAfterAsync(contended, 0, CancellationToken.None)).Select(e => e.Seq));
        Assert.Equal("other-activation", (await rows.Store.ReadAfterAsync(contended, 2, CancellationToken.None))[0].EntryId);
        Assert.Equal([1L, 2L, 3L], (await rows.Store.ReadAfterAsync(other, 0, CancellationToken.None)).Select(e => e.Seq));
    }

    [Fact]
    public async Task A_taken_entry_id_refuses_the_whole_group_of_its_account()
    {
        var rows = new LedgerRows(_db);
        var account = await rows.OpenAsync(LedgerRows.NewRegion(), _day);
        await rows.AppendAsync(rows.Payment(account, _day, 100) with { EntryId = "key-1" });
        var group = new[] { rows.Payment(account, _day, 200) with { EntryId = "key-2" }, rows.Payment(account, _day, 300) with { EntryId = "key-1" } };

        var appended = await rows.Store.AppendAsync(group, CancellationToken.None);

        Assert.Equal([false, false], appended);
        Assert.Equal([1L, 2L], (await rows.Store.ReadAfterAsync(account, 0, CancellationToken.None)).Select(e => e.Seq));
    }

    [Fact]
    public async Task Two_activations_racing_over_the_same_seqs_never_leave_a_mix_of_their_groups()
    {
        var rows = new LedgerRows(_db);
        for (var round = 0; round < 30; round++)
        {
            var account = await rows.OpenAsync(LedgerRows.NewRegion(), _day);
            var template = Enumerable.Range(0, 14).Select(_ => rows.Payment(account, _day, 10)).ToList();
            // Activation A holds seqs 2..11, activation B (a step behind it) 5..14, each with ids of its own.
            var a = template.Take(10).Select(e => e with { EntryId = $"a-{e.Seq}", DecidedBy = "a" }).ToList();
            var b = template.Skip(3).Select(e => e with { EntryId = $"b-{e.Seq}", DecidedBy = "b" }).ToList();

            var outcomes = await Task.WhenAll(
                Task.Run(() => rows.Store.AppendAsync(a, CancellationToken.None)),
                Task.Run(() => rows.Store.AppendAsync(b, CancellationToken.None)));

            Assert.All(outcomes, flags => Assert.True(flags.All(f => f) || flags.All(f => !f), $"round {round}: a partial group"));
            var stored = (await rows.Store.ReadAfterAsync(account, 1, CancellationToken.None)).ToList();
            var winners = stored.Select(e => e.DecidedBy).Distinct().ToList();
            Assert.True(winners.Count <= 1, $"round {round}: rows of {string.Join(" and ", winners)} interleave");
            Assert.Equal(outcomes[0].All(f => f) ? a : outcomes[1].All(f => f) ? b : [], stored);
        }
    }

    public ValueTask DisposeAsync() => _db.DisposeAsync();
}
