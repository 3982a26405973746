namespace Payments.Hosting.Security;

/// <summary>
/// The three roles of the contract and the authorization policies built on them. Any new endpoint, and any
/// operational surface (<c>/metrics</c>, dashboards), names one of these policies in <c>RequireAuthorization</c>;
/// the authorization matrix test fails for an endpoint that names none and is not public.
/// </summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Terminal = "terminal";
    public const string Network = "network";

    /// <summary>True for a role of the contract.</summary>
    public static bool IsKnown(string? role) => role is Admin or Terminal or Network;

    /// <summary>The bank's back office: accounts, deposits, rules, keys, metrics.</summary>
    public const string AdminPolicy = "admin";

    /// <summary>Any terminal key, merchant-scoped or not: submitting payments.</summary>
    public const string TerminalPolicy = "terminal";

    /// <summary>The card network's gateway: advices, and forced captures (its clearing is final).</summary>
    public const string NetworkPolicy = "network";

    /// <summary>Any terminal key or the network's: captures (only the network may force one).</summary>
    public const string TerminalOrNetworkPolicy = "terminal-or-network";

    /// <summary>Admin or any terminal key: reading one payment (a scoped key sees only its merchant's).</summary>
    public const string AnyRolePolicy = "admin-or-terminal";

    /// <summary>Admin or a terminal key without merchant scope: balances and histories of whole accounts.</summary>
    public const string AccountReaderPolicy = "account-reader";
}
