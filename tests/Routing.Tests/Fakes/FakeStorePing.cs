using Payments.Api.Routing;

namespace Payments.Routing.Tests.Fakes;

/// <summary>The shared store, as its pings find it: answering, refusing (no primary) or hanging (cut off).</summary>
public sealed class FakeStorePing : ISharedStorePing
{
    private readonly List<TaskCompletionSource> _hanging = [];

    public StoreBehaviour Behaviour { get; set; }

    public Task PingAsync(CancellationToken cancellationToken)
    {
        switch (Behaviour)
        {
            case StoreBehaviour.Answers:
                return Task.CompletedTask;
            case StoreBehaviour.NoPrimary:
                return Task.FromException(new InvalidOperationException("No suitable host was found."));
            case StoreBehaviour.Hangs:
                var hanging = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _hanging.Add(hanging);
                return hanging.Task;
            default:
                throw new InvalidOperationException($"Unknown store behaviour {Behaviour}");
        }
    }

    /// <summary>The pings that hang so far answer after all (a slow round trip, not a lost one).</summary>
    public void AnswerHanging()
    {
        foreach (var hanging in _hanging)
        {
            hanging.TrySetResult();
        }

        _hanging.Clear();
    }
}

public enum StoreBehaviour
{
    Answers,
    /// <summary>Every node a standby: the primary is lost and the standby not promoted yet.</summary>
    NoPrimary,
    /// <summary>The primary cut off the network.</summary>
    Hangs,
}
