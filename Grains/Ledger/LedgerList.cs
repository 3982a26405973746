namespace Payments.Ledger;

/// <summary>The lists of an account's rows that the API pages through, newest first.</summary>
public enum LedgerList
{
    /// <summary>Single-message payments, the bank's own and the network's (payment advices).</summary>
    Payments = 0,
    /// <summary>The rows that open an authorization: the bank's own decisions and the network's (authorization advices).</summary>
    Authorizations = 1,
}
