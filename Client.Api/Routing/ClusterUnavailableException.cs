namespace Payments.Api.Routing;

/// <summary>No cluster could serve the request in time; the API answers 503 and the client retries with its key.</summary>
public sealed class ClusterUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
