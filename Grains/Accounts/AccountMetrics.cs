using System.Diagnostics.Metrics;
using Payments.Contracts;
using Payments.Diagnostics;
using Payments.Ledger;
using Payments.Ledger.Changes;
using Payments.Regions;

namespace Payments.Accounts;

/// <summary>
/// Payments as the account grains decide them, on the "Payments.Accounts" meter. The grain records each payment
/// once, where its outcome is known: a decision when its ledger row is durable, a replay when a retry finds it,
/// an unavailable answer when nothing could be made durable. The API counts HTTP answers, not decisions, so a
/// payment is never counted twice.
/// </summary>
public sealed class AccountMetrics : IDisposable
{
    public const string MeterName = "Payments.Accounts";
    private readonly Meter _meter = new(MeterName);
    private readonly KeyValuePair<string, object?> _region;
    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _decisionSeconds;
    private readonly Counter<long> _replays;
    private readonly Counter<long> _unavailable;
    private readonly UpDownCounter<long> _active;
    private readonly Histogram<int> _groupRows;

    public AccountMetrics(SiloRegion silo)
    {
        _region = new("region", silo.Name);
        _decisions = _meter.CreateCounter<long>(
            "payments.decisions", "{payment}", "Payments decided and durable, by status and decline reason");
        _decisionSeconds = _meter.CreateHistogram(
            "payments.decision.duration", "s", "From the grain receiving a payment to its decision being durable",
            tags: null, HistogramAdvice.Seconds);
        _replays = _meter.CreateCounter<long>(
            "payments.replays", "{payment}", "Retries answered with the payment stored for their Idempotency-Key");
        _unavailable = _meter.CreateCounter<long>(
            "payments.unavailable", "{payment}", "Payments answered unavailable: nothing could be made durable, nothing approved");
        _active = _meter.CreateUpDownCounter<long>(
            "payments.accounts.active", "{account}", "Account grains active on this silo");
        _groupRows = _meter.CreateHistogram<int>(
            "payments.account.group.rows", "{row}",
            "Rows one account made durable in one append: the requests that queued while its previous append committed");
        // The rare outcomes start at 0, so that their rates exist (and read 0) before the first one happens: a
        // missing series is not a zero to an alert.
        _replays.Add(0, _region);
        _unavailable.Add(0, _region);
    }

    /// <summary>Records the outcome of one payment request that reached its account.</summary>
    /// <param name="entry">The payment's ledger row, when there is one.</param>
    public void RecordPayment(RecordOutcome outcome, LedgerEntry? entry, TimeSpan elapsed)
    {
        switch (outcome)
        {
            case RecordOutcome.Created when entry?.Change is PaymentDecided payment:
                var statusTag = new KeyValuePair<string, object?>("status", payment.Status == PaymentStatus.Approved ? "approved" : "declined");
                var reasonTag = new KeyValuePair<string, object?>(
                    "decline_reason", payment.DeclineReason is { } reason ? DeclineCodes.ToCode(reason) : "none");
                _decisions.Add(1, _region, statusTag, reasonTag);
                _decisionSeconds.Record(elapsed.TotalSeconds, _region, statusTag);
                break;
            case RecordOutcome.Replayed:
                _replays.Add(1, _region);
                break;
            case RecordOutcome.Unavailable or RecordOutcome.Overloaded:
                _unavailable.Add(1, _region);
                break;
        }
    }

    public void RecordGroup(int rows) => _groupRows.Record(rows, _region);

    public void AccountActivated() => _active.Add(1, _region);

    public void AccountDeactivated() => _active.Add(-1, _region);

    public void Dispose() => _meter.Dispose();
}
