using Payments.Contracts;
using Payments.Ledger;
using Payments.Ledger.Changes;

namespace Payments.Grains.Tests.Ledger;

/// <summary>
/// The payload schema is a storage contract: rows written long ago (by this code or by migration 0008's backfill)
/// must still replay. These JSON texts are fixed; a rename in C# that changes them fails here.
/// </summary>
public sealed class LedgerPayloadTests
{
    private static readonly AccountSettings Frozen = new("region-a", new AccountLimits(null, 5_000, null, null), AccountStatus.Frozen);

    public static TheoryData<EntryKind, string, LedgerChange> StoredPayloads => new()
    {
        {
            EntryKind.Open,
            """{"currency": "EUR", "settings": {"limits": {"daily": 5000, "weekly": null, "monthly": null, "perPayment": null}, "region": "region-a", "status": "frozen"}, "initialBalance": 100}""",
            new AccountOpened("EUR", 100, Frozen)
        },
        {
            EntryKind.Payment,
            """{"mcc": "5411", "amount": 30, "status": "declined", "currency": "EUR", "merchant": "Shop", "declineReason": "insufficient_funds"}""",
            new PaymentDecided(30, "EUR", "Shop", "5411", PaymentStatus.Declined, DeclineReason.InsufficientFunds)
        },
        {
            EntryKind.Deposit,
            """{"amount": 5, "currency": "EUR", "reference": "salary-2026-11"}""",
            new DepositMade(5, "EUR", "salary-2026-11")
        },
        {
            EntryKind.Settings,
            """{"currency": "EUR", "settings": {"limits": {"daily": 5000, "weekly": null, "monthly": null, "perPayment": null}, "region": "region-a", "status": "frozen"}}""",
            new SettingsChanged("EUR", Frozen)
        },
        {
            EntryKind.Increment,
            """{"amount": 300, "status": "approved", "currency": "EUR", "expiresAt": "2026-12-02T10:00:00+00:00", "declineReason": null, "authorizationId": "auth-1"}""",
            new IncrementDecided("auth-1", 300, "EUR", PaymentStatus.Approved, null, new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero))
        },
        {
            // A capture written before forced captures existed reads as not forced.
            EntryKind.Capture,
            """{"final": true, "amount": 1200, "currency": "EUR", "fromHold": 1000, "released": 0, "heldAfter": 0, "overLimits": ["daily"], "authorizationId": "auth-1"}""",
            new CaptureMade("auth-1", 1200, "EUR", true, 1000, 0, 0, ["daily"])
        },
        {
            EntryKind.Refund,
            """{"mcc": "5411", "amount": 50, "currency": "EUR", "merchant": "Shop", "paymentId": "pay-1"}""",
            new RefundMade(50, "EUR", "Shop", "5411", "pay-1")
        },
        {
            EntryKind.Advice,
            """{"mcc": "5542", "amount": 4000, "currency": "EUR", "merchant": "Station", "decidedAt": "2026-11-25T09:00:00+00:00", "expiresAt": "2026-11-26T09:00:00+00:00", "adviceKind": "authorization", "overLimits": [], "overCapturePercent": 10}""",
            new AdviceRecorded(AdviceKind.Authorization, 4000, "EUR", "Station", "5542", new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero),
                [], new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero), 10)
        },
    };

    [Theory]
    [MemberData(nameof(StoredPayloads))]
    public void A_stored_payload_replays_as_its_change(EntryKind kind, string json, LedgerChange expected)
    {
        var change = LedgerPayload.Read(kind, 1, json);

        Assert.Equal(expected, change);
        Assert.Equal(kind, change.Kind);
    }

    [Theory]
    [MemberData(nameof(StoredPayloads))]
    public void A_written_payload_reads_back_as_the_same_change(EntryKind kind, string json, LedgerChange expected)
    {
        _ = json;
        Assert.Equal(expected, LedgerPayload.Read(kind, LedgerPayload.Version, LedgerPayload.Write(expected)));
    }

    [Fact]
    public void An_unknown_payload_version_throws()
    {
        Assert.Throws<InvalidDataException>(() => LedgerPayload.Read(EntryKind.Deposit, 2, """{"amount": 5, "currency": "EUR", "reference": "r"}"""));
    }

    [Fact]
    public void An_unknown_kind_name_throws()
    {
        Assert.Throws<InvalidDataException>(() => EntryKinds.Parse("chargeback"));
    }

    [Fact]
    public void An_unknown_code_or_a_missing_field_throws()
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => LedgerPayload.Read(EntryKind.Payment, 1,
            """{"mcc": "5411", "amount": 30, "status": "maybe", "currency": "EUR", "merchant": "Shop", "declineReason": null}"""));
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => LedgerPayload.Read(EntryKind.Deposit, 1, """{"amount": 5, "currency": "EUR"}"""));
    }
}
