namespace Payments.Api.Routing;

/// <summary>One round trip to the store every region shares: completes when its primary takes queries, throws otherwise.</summary>
public interface ISharedStorePing
{
    Task PingAsync(CancellationToken cancellationToken);
}
