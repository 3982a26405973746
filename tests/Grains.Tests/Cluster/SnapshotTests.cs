using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Payments.Accounts;
using Payments.Contracts;
using Payments.Grains.Tests.Support;
using Xunit.Abstractions;

namespace Payments.Grains.Tests.Cluster;

/// <summary>When a busy account writes its snapshot (every N rows, without waiting for its reminder), and in what format.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SnapshotTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task A_busy_account_writes_its_snapshot_once_enough_rows_are_not_in_it()
    {
        var account = await cluster.OpenAsync(50_000);
        for (var i = 0; i < ClusterFixture.SnapshotEveryRows - 1; i++)
        {
            await account.PayAsync(new PaymentRequest(100, "EUR", "Shop", "5411", null));
        }

        var before = await SnapshotSeqAsync(account);
        await account.PayAsync(new PaymentRequest(100, "EUR", "Shop", "5411", null));
        var after = await WaitForSnapshotSeqAsync(account, ClusterFixture.SnapshotEveryRows + 1);

        // The open row is in the snapshot written at the opening; the tenth payment makes ten rows it lacks.
        Assert.Equal(1, before);
        Assert.Equal(ClusterFixture.SnapshotEveryRows + 1, after.LastSeq);
        Assert.Equal(50_000 - 100 * ClusterFixture.SnapshotEveryRows, after.Balance);
    }

    [Fact]
    public async Task A_snapshot_in_the_earlier_json_format_is_read_and_the_next_one_is_written_compact()
    {
        var json = cluster.SiloServices.GetRequiredService<IGrainStorageSerializer>();
        var format = cluster.SiloServices.GetRequiredKeyedService<IGrainStorageSerializer>(PaymentsSilo.AccountStorage);
        var journal = new TestJournal(TestRules.Paris(), 20_000);
        var commits = new GroupCommit(journal, 10, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var payment = new PaymentRequest(1_500, "EUR", "Shop", "5411", "k1");
        await commits.RecordAsync("k1", RequestFingerprint.Of(payment), (account, stamp) => AccountDecisions.Pay(account, journal.Rules, stamp, payment));
        var earlier = json.Serialize(journal.State);

        var read = format.Deserialize<AccountState>(earlier)!;
        var compact = format.Serialize(read);
        var again = format.Deserialize<AccountState>(compact)!;
        output.WriteLine($"The same snapshot: {earlier.ToMemory().Length} bytes of JSON, {compact.ToMemory().Length} bytes compact");

        Assert.Equal((byte)'{', earlier.ToMemory().Span[0]);
        Assert.Equal(SnapshotFormat.BinaryV1, compact.ToMemory().Span[0]);
        Assert.True(compact.ToMemory().Length * 2 < earlier.ToMemory().Length, $"{compact.ToMemory().Length} bytes against {earlier.ToMemory().Length}");
        // The same state both ways: the earlier serializer writes it again byte for byte.
        Assert.Equal(earlier.ToString(), json.Serialize(again).ToString());
        Assert.Equal((18_500L, 2L, 1_500L), (again.Balance, again.LastSeq, again.Daily.Spent));
    }

    [Fact]
    public void A_snapshot_in_an_unknown_format_is_refused_rather_than_guessed_at()
    {
        var format = cluster.SiloServices.GetRequiredKeyedService<IGrainStorageSerializer>(PaymentsSilo.AccountStorage);

        var error = Assert.Throws<InvalidOperationException>(() => format.Deserialize<AccountState>(new BinaryData(new byte[] { 9, 1, 2 })));

        Assert.Contains("unknown format", error.Message, StringComparison.Ordinal);
    }

    private async Task<long> SnapshotSeqAsync(IAccountGrain account) => (await ReadAsync(account)).LastSeq;

    /// <summary>The write is not awaited by the payment: poll storage for it, for a few seconds at most.</summary>
    private async Task<AccountState> WaitForSnapshotSeqAsync(IAccountGrain account, long seq)
    {
        for (var attempt = 0; ; attempt++)
        {
            var state = await ReadAsync(account);
            if (state.LastSeq >= seq || attempt == 100)
            {
                return state;
            }

            await Task.Delay(50);
        }
    }

    private async Task<AccountState> ReadAsync(IAccountGrain account) => (await cluster.ReadSnapshotAsync(account)).State!;
}
