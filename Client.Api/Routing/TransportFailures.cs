using Orleans.Networking.Shared;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace Payments.Api.Routing;

/// <summary>
/// Which exceptions of a grain call mean "the cluster could not be reached or did not answer in time", as opposed to
/// an error of the call itself, which another cluster would raise just the same. Only the first kind counts against a
/// cluster's breaker and may be retried on another cluster.
/// </summary>
public static class TransportFailures
{
    public static bool Is(Exception exception) => exception is
        TimeoutException or
        OrleansMessageRejectionException or
        ConnectionFailedException or
        SocketConnectionException or
        GatewayTooBusyException;

    /// <summary>A one-line description for the health view and the log.</summary>
    public static string Describe(Exception exception) => $"{exception.GetType().Name}: {exception.Message}";
}
