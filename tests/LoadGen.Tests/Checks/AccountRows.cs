using Payments.LoadGen.Checks;

namespace Payments.LoadGen.Tests.Checks;

/// <summary>
/// Writes one account's ledger rows the way the system writes them (each row's balance and available after it), so a
/// test states a history and then breaks exactly one thing in it.
/// </summary>
internal sealed class AccountRows(string accountId = "acc-1")
{
    public static readonly DateOnly Day = new(2026, 12, 3);
    public static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private readonly List<LedgerRow> _rows = [];
    private long _balance;
    private long _held;

    public string AccountId => accountId;

    public IReadOnlyList<LedgerRow> Rows => _rows;

    public long Balance => _balance;

    public AccountRows Open(long initial, Ceilings? limits) => Add("open", "open", initial, initial, 0, r => r with { Limits = limits });

    public AccountRows Pay(string id, long amount, bool approved = true, DateOnly? day = null) =>
        Add("payment", id, amount, approved ? -amount : 0, 0, r => r with { Approved = approved, BusinessDate = day ?? Day });

    public AccountRows Deposit(string id, long amount) => Add("deposit", id, amount, amount, 0);

    public AccountRows Refund(string id, long amount) => Add("refund", id, amount, amount, 0);

    public AccountRows Authorize(string id, long amount, int overCapturePercent = 0, DateTimeOffset? expiresAt = null, DateOnly? day = null) =>
        Add("authorization", id, amount, 0, amount, r => r with
        {
            AuthorizationId = id, ExpiresAt = expiresAt ?? Now.AddDays(7), OverCapturePercent = overCapturePercent,
            BusinessDate = day ?? Day,
        });

    public AccountRows Increment(string id, string authorizationId, long amount, DateOnly? day = null) =>
        Add("increment", id, amount, 0, amount, r => r with
        {
            AuthorizationId = authorizationId, ExpiresAt = Now.AddDays(7), BusinessDate = day ?? Day,
        });

    public AccountRows Capture(string id, string authorizationId, long amount, long fromHold, long released = 0, bool forced = false) =>
        Add("capture", id, amount, -amount, -(fromHold + released), r => r with
        {
            AuthorizationId = authorizationId, FromHold = fromHold, Released = released, Final = released > 0, Forced = forced,
        });

    public AccountRows Reverse(string id, string authorizationId, long amount) =>
        Add("reversal", id, amount, 0, -amount, r => r with { AuthorizationId = authorizationId });

    public AccountRows Expire(string authorizationId, long amount) =>
        Add("expiry", $"§expiry:{authorizationId}", amount, 0, -amount, r => r with { AuthorizationId = authorizationId });

    /// <summary>Changes the newest row, as a faulty system would have written it.</summary>
    public AccountRows Tamper(Func<LedgerRow, LedgerRow> change)
    {
        _rows[^1] = change(_rows[^1]);
        return this;
    }

    private AccountRows Add(string kind, string id, long amount, long balanceEffect, long heldEffect, Func<LedgerRow, LedgerRow>? shape = null)
    {
        _balance += balanceEffect;
        _held += heldEffect;
        var row = new LedgerRow(accountId, _rows.Count + 1, kind, id, amount, true, _balance, _balance - _held, Day);
        _rows.Add(shape is null ? row : shape(row));
        return this;
    }
}
