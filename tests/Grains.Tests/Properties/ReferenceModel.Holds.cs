using Payments.Contracts;

namespace Payments.Grains.Tests.Properties;

/// <summary>
/// The model's authorizations, from the contract's section on holds: decided like payments against available money;
/// increments; captures within floor(authorized × (100 + tolerance) / 100) unless forced, beyond the hold charged as new
/// money now; reversals; expiry by time at the exact instant; refunds never more than what they refund.
/// </summary>
internal sealed partial class ReferenceModel
{
    /// <summary>The hold rules the property test's region uses: seven days, one for fuel (5542), 10% over-capture.</summary>
    public static readonly TimeSpan DefaultHold = TimeSpan.FromDays(7);
    public const string FuelMcc = "5542";
    public const int OverCapturePercent = 10;

    private readonly List<ModelHold> _holds = [];
    private readonly List<Refundable> _refundables = [];

    public long Available(DateTimeOffset now) => Balance - Held(now);

    public long Held(DateTimeOffset now) => _holds.Sum(h => h.HeldAt(now));

    public int HoldCount => _holds.Count;

    public int RefundableCount => _refundables.Count;

    /// <summary>Releases, newest approval first, every hold whose expiry has come; returns how many.</summary>
    public int ExpireDue(DateTimeOffset now)
    {
        var due = _holds.Where(h => h.Held > 0 && now >= h.ExpiresAt).ToList();
        foreach (var hold in due)
        {
            hold.Release(hold.Held);
            hold.ReleasedByTime = true;
        }

        return due.Count;
    }

    /// <summary>An authorization (always recorded, its index is the next hold's): null when malformed.</summary>
    public (PaymentStatus Status, DeclineReason? Reason)? Authorize(DateTimeOffset now, long amount, string mcc)
    {
        if (amount < 1 || amount > _maxPerPayment)
        {
            return null;
        }

        var reason = FirstDeclineReason(now, Currency, mcc, amount, amount);
        var hold = new ModelHold(reason is null, now, mcc == FuelMcc ? TimeSpan.FromDays(1) : DefaultHold, amount) { Mcc = mcc };
        _holds.Add(hold);
        if (reason is null)
        {
            hold.Add(Approve(now, amount), amount);
        }

        return reason is null ? (PaymentStatus.Approved, null) : (PaymentStatus.Declined, reason);
    }

    public (RecordOutcome Outcome, PaymentStatus Status, DeclineReason? Reason) Increment(DateTimeOffset now, int index, long amount)
    {
        var hold = _holds[index];
        if (hold.StatusAt(now) != AuthorizationStatus.Pending)
        {
            return (RecordOutcome.AuthorizationNotPending, default, null);
        }

        var reason = FirstDeclineReason(now, Currency, hold.Mcc, hold.Held + amount, amount);
        if (reason is not null)
        {
            return (RecordOutcome.Created, PaymentStatus.Declined, reason);
        }

        hold.Add(Approve(now, amount), amount);
        hold.Authorized += amount;
        hold.ExpiresAt = now + hold.Period;
        return (RecordOutcome.Created, PaymentStatus.Approved, null);
    }

    /// <summary>A capture; when recorded, the refundable capture is the next refundable.</summary>
    public (RecordOutcome Outcome, bool ExceedsHold) Capture(DateTimeOffset now, int index, long amount, bool final, bool force)
    {
        var hold = _holds[index];
        if (hold.StatusAt(now) is not (AuthorizationStatus.Pending or AuthorizationStatus.Expired))
        {
            return (RecordOutcome.AuthorizationNotPending, false);
        }

        if (!force && hold.Captured + amount > hold.Authorized * (100 + OverCapturePercent) / 100)
        {
            return (RecordOutcome.CaptureExceedsAuthorization, false);
        }

        var fromHold = Math.Min(amount, hold.HeldAt(now));
        hold.Consume(fromHold);
        if (amount > fromHold)
        {
            Approve(now, amount - fromHold);
        }

        if (final)
        {
            hold.Release(hold.Held);
            hold.Final = true;
        }

        hold.Captured += amount;
        Balance -= amount;
        _refundables.Add(new Refundable(amount));
        return (RecordOutcome.Created, amount > fromHold);
    }

    public RecordOutcome Reverse(DateTimeOffset now, int index, long? amount)
    {
        var hold = _holds[index];
        if (hold.StatusAt(now) != AuthorizationStatus.Pending)
        {
            return RecordOutcome.AuthorizationNotPending;
        }

        var reversed = amount ?? hold.Held;
        if (reversed > hold.Held)
        {
            return RecordOutcome.ReversalExceedsHold;
        }

        hold.Release(reversed);
        return RecordOutcome.Created;
    }

    /// <summary>A refund of the refundable at <paramref name="index"/> (null: of nothing).</summary>
    public RecordOutcome Refund(int? index, long amount)
    {
        if (index is { } i)
        {
            if (_refundables[i].Refunded + amount > _refundables[i].Amount)
            {
                return RecordOutcome.RefundExceedsPayment;
            }

            _refundables[i].Refunded += amount;
        }

        Balance += amount;
        return RecordOutcome.Created;
    }

    /// <summary>An approved payment becomes refundable (the harness calls it in the order the rows are written).</summary>
    public void PaymentApproved(long amount) => _refundables.Add(new Refundable(amount));

    public AuthorizationStatus StatusOf(int index, DateTimeOffset now) => _holds[index].StatusAt(now);

    public long AuthorizedOf(int index) => _holds[index].Authorized;

    public long HeldOf(int index, DateTimeOffset now) => _holds[index].HeldAt(now);

    private Approval Approve(DateTimeOffset now, long amount)
    {
        var approval = new Approval(now, amount);
        _approved.Add(approval);
        return approval;
    }

    private sealed class Refundable(long amount)
    {
        public long Amount { get; } = amount;

        public long Refunded { get; set; }
    }

    /// <summary>An authorization as the contract describes it; each part it holds keeps the approval it came from.</summary>
    private sealed class ModelHold(bool approved, DateTimeOffset now, TimeSpan period, long amount)
    {
        private readonly List<(Approval Approval, long Held)> _parts = [];

        public bool Approved { get; } = approved;

        public string Mcc { get; init; } = "";

        public DateTimeOffset ExpiresAt { get; set; } = now + period;

        public TimeSpan Period { get; } = period;

        public long Authorized { get; set; } = amount;

        public long Captured { get; set; }

        public bool Final { get; set; }

        public bool ReleasedByTime { get; set; }

        public long Held => _parts.Sum(p => p.Held);

        public long HeldAt(DateTimeOffset now) => now >= ExpiresAt ? 0 : Held;

        public AuthorizationStatus StatusAt(DateTimeOffset now) =>
            !Approved ? AuthorizationStatus.Declined
            : HeldAt(now) > 0 && !Final ? AuthorizationStatus.Pending
            : Captured > 0 ? AuthorizationStatus.Closed
            : ReleasedByTime || Held > 0 ? AuthorizationStatus.Expired
            : AuthorizationStatus.Reversed;

        public void Add(Approval approval, long held) => _parts.Add((approval, held));

        /// <summary>What a capture posts, from the oldest parts: still counted where it was approved.</summary>
        public void Consume(long amount)
        {
            for (var i = 0; i < _parts.Count && amount > 0; i++)
            {
                var part = Math.Min(amount, _parts[i].Held);
                _parts[i] = (_parts[i].Approval, _parts[i].Held - part);
                amount -= part;
            }
        }

        /// <summary>What is given back, from the newest parts: it no longer counts where it was approved.</summary>
        public void Release(long amount)
        {
            for (var i = _parts.Count - 1; i >= 0 && amount > 0; i--)
            {
                var part = Math.Min(amount, _parts[i].Held);
                _parts[i] = (_parts[i].Approval, _parts[i].Held - part);
                _parts[i].Approval.Amount -= part;
                amount -= part;
            }
        }
    }
}

/// <summary>An approved amount at its instant; what a hold gives back comes off it.</summary>
internal sealed class Approval(DateTimeOffset at, long amount)
{
    public DateTimeOffset At { get; } = at;

    public long Amount { get; set; } = amount;
}
