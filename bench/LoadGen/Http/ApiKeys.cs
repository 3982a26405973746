namespace Payments.LoadGen.Http;

/// <summary>The API keys the load generator presents: a back-office (admin) key and a terminal key.</summary>
public sealed record ApiKeys(string Admin, string Terminal)
{
    /// <summary>The keys of the local dev profile, which only a Development API accepts.</summary>
    public static readonly ApiKeys Dev = new("dev-admin-key", "dev-terminal-key");
}
