using System.Reflection;
using Orleans.Runtime;
using Payments.Contracts;

namespace Payments.Routing.Tests.Fakes;

/// <summary>How a fake cluster answers grain calls.</summary>
public enum ClusterBehaviour
{
    Answers,
    /// <summary>Throws what the Orleans client throws when no gateway takes the message.</summary>
    Refuses,
    /// <summary>Never answers: a partitioned network.</summary>
    Hangs,
    /// <summary>The grain itself throws: an error that any cluster would raise.</summary>
    Faults,
    /// <summary>
    /// The silo answers, but an account grain cannot read its store (<see cref="Payments.Contracts.AccountUnavailableException"/>,
    /// the API's 503 <c>unavailable</c>); the probe grain, which needs no store, answers.
    /// </summary>
    StoreUnavailable,
}

/// <summary>
/// A stand-in for one region's Orleans client: a proxy of <see cref="IClusterClient"/> whose grains answer
/// <c>PingAsync</c> and <c>GetPaymentAsync</c> according to <see cref="Behaviour"/>, naming this region as the decider.
/// </summary>
public class FakeCluster : DispatchProxy
{
    private int _calls;

    public string Region { get; private set; } = "";

    public ClusterBehaviour Behaviour { get; set; }

    /// <summary>What a probe answers: the region the silo believes it is in.</summary>
    public string? AnsweredBy { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    public static FakeCluster Create(string region)
    {
        var client = DispatchProxy.Create<IClusterClient, FakeCluster>();
        var cluster = (FakeCluster)(object)client;
        cluster.Region = region;
        return cluster;
    }

    public IClusterClient Client => (IClusterClient)(object)this;

    /// <param name="needsStore">Whether the grain called reads the store (an account), or not (the probe).</param>
    public Task<T> Respond<T>(Func<T> value, bool needsStore)
    {
        Interlocked.Increment(ref _calls);
        return Behaviour switch
        {
            ClusterBehaviour.Answers => Task.FromResult(value()),
            ClusterBehaviour.StoreUnavailable => needsStore
                ? Task.FromException<T>(new AccountUnavailableException("The account cannot be read from the ledger now."))
                : Task.FromResult(value()),
            ClusterBehaviour.Refuses => Task.FromException<T>(new SiloUnavailableException()),
            ClusterBehaviour.Hangs => new TaskCompletionSource<T>().Task,
            _ => Task.FromException<T>(new InvalidOperationException("The grain failed.")),
        };
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod is { Name: "GetGrain", IsGenericMethod: true })
        {
            var grain = (FakeGrain)Create(targetMethod.GetGenericArguments()[0], typeof(FakeGrain));
            grain.Cluster = this;
            return grain;
        }

        throw new NotSupportedException(targetMethod?.Name);
    }
}

/// <summary>A grain of a <see cref="FakeCluster"/>.</summary>
public class FakeGrain : DispatchProxy
{
    public FakeCluster Cluster { get; set; } = null!;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
    {
        nameof(IClusterProbeGrain.PingAsync) => Cluster.Respond(() => Cluster.AnsweredBy ?? Cluster.Region, needsStore: false),
        nameof(IAccountGrain.GetPaymentAsync) => Cluster.Respond<PaymentRecord?>(() => new PaymentRecord(
            (string)args![0]!, "acc", 100, "EUR", "Shop", "5411", PaymentStatus.Approved, null, 0, DateTimeOffset.UnixEpoch, Cluster.Region),
            needsStore: true),
        _ => throw new NotSupportedException(targetMethod?.Name),
    };
}
