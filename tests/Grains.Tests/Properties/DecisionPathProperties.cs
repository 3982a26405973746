using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Payments.Accounts;
using Payments.Contracts;
using Payments.Grains.Tests.Support;
using Payments.Ledger;
using Payments.Ledger.Changes;

namespace Payments.Grains.Tests.Properties;

/// <summary>
/// Random scenarios run through the real decision path (validation, <see cref="AccountDecisions"/>, the ledger row
/// the grain would write, <see cref="AccountState.Apply"/>) and through <see cref="ReferenceModel"/>, step by step:
/// payments, deposits, settings, authorizations, increments, captures (partial, final, over the hold, forced),
/// reversals, refunds, and the clock, with the releases of due holds written after every step as the sweep would.
/// </summary>
public sealed class DecisionPathProperties
{
    private static readonly HoldRules HoldRules = new(
        ReferenceModel.DefaultHold, ImmutableDictionary<string, TimeSpan>.Empty.Add(ReferenceModel.FuelMcc, TimeSpan.FromDays(1)),
        ReferenceModel.OverCapturePercent);

    [Property(MaxTest = 500)]
    public Property Real_decision_path_agrees_with_the_reference_model_and_keeps_the_invariants() =>
        Prop.ForAll(ScenarioGenerators.Scenarios(), Run);

    private static void Run(Scenario scenario)
    {
        var rules = TestRules.In(scenario.TimeZone, scenario.ResetHour) with { Holds = HoldRules };
        var calendar = BusinessCalendar.For(rules);
        var now = scenario.Start;
        var state = DecisionPath.Open(rules, scenario.InitialBalance, scenario.Limits, now);
        var model = new ReferenceModel(rules, scenario.InitialBalance, scenario.Limits);

        // What the real path approved and credited, kept apart from both the state and the model.
        var approved = new List<(DateTimeOffset At, long Amount)>();
        long deposits = 0;
        long refunds = 0;
        long captures = 0;
        var networkDecided = false;
        var holdIds = new List<string>();
        var refundable = new List<LedgerEntry>();

        for (var step = 0; step < scenario.Commands.Count; step++)
        {
            var command = scenario.Commands[step] is PayToBoundCommand toBound
                ? new PayCommand(AmountToBound(model, now, toBound), "EUR", TestRules.GroceryMcc)
                : scenario.Commands[step];
            var seqBefore = state.LastSeq;
            var recorded = true;
            switch (command)
            {
                case PayCommand pay:
                {
                    var request = DecisionPath.Payment(pay.Amount, pay.Mcc, pay.Currency);
                    var limitsInForce = model.EffectiveLimits();
                    var expected = model.Pay(now, pay.Amount, pay.Currency, pay.Mcc);
                    if (AccountValidation.ForPayment(rules, request) is not null)
                    {
                        recorded = false;
                        Expect(expected is null, step, command, $"the model decided {expected} on a request the code refused");
                        break;
                    }

                    var (decision, entry) = DecisionPath.Pay(state, rules, now, request);
                    Expect(expected is not null, step, command, "the code decided a request the model refuses");
                    Expect(
                        decision.Status == expected!.Value.Status && decision.DeclineReason == expected.Value.Reason,
                        step, command, $"the code said {decision.Status}/{decision.DeclineReason}, the model {expected.Value.Status}/{expected.Value.Reason}");
                    Expect(entry.BalanceAfter == model.Balance, step, command, $"balance after {entry.BalanceAfter}, model {model.Balance}");
                    Expect(entry.BusinessDate == model.Today(now), step, command, $"business date {entry.BusinessDate}, model {model.Today(now)}");
                    if (decision.Status == PaymentStatus.Approved)
                    {
                        approved.Add((now, pay.Amount));
                        model.PaymentApproved(pay.Amount);
                        refundable.Add(entry);
                        ExpectSystemDecision(entry, model, now, limitsInForce, step, command);
                    }

                    break;
                }

                case AuthorizeCommand authorize:
                {
                    var limitsInForce = model.EffectiveLimits();
                    if (AccountValidation.ForAmount(rules, authorize.Amount) is not null)
                    {
                        recorded = false;
                        Expect(model.Authorize(now, authorize.Amount, authorize.Mcc) is null, step, command, "the model decided a request the code refused");
                        break;
                    }

                    var expected = model.Authorize(now, authorize.Amount, authorize.Mcc);
                    var entry = DecisionPath.Authorize(state, rules, now, new AuthorizationRequest(authorize.Amount, "EUR", "Merchant", authorize.Mcc, null)).Entry!;
                    var decided = (AuthorizationDecided)entry.Change;
                    holdIds.Add(entry.EntryId);
                    Expect(expected is not null && (decided.Status, decided.DeclineReason) == (expected.Value.Status, expected.Value.Reason),
                        step, command, $"the code said {decided.Status}/{decided.DeclineReason}, the model {expected}");
                    if (decided.Status == PaymentStatus.Approved)
                    {
                        ExpectSystemDecision(entry, model, now, limitsInForce, step, command);
                    }

                    break;
                }

                case IncrementCommand increment when holdIds.Count > 0:
                {
                    var limitsInForce = model.EffectiveLimits();
                    var index = increment.Pick % holdIds.Count;
                    var expected = model.Increment(now, index, increment.Amount);
                    var verdict = DecisionPath.Increment(state, rules, now, new IncrementRequest(holdIds[index], increment.Amount, null));
                    Expect(verdict.Outcome == expected.Outcome, step, command, $"the code answered {verdict.Outcome}, the model {expected.Outcome}");
                    recorded = verdict.Entry is not null;
                    if (verdict.Entry is { Change: IncrementDecided decided } entry)
                    {
                        Expect((decided.Status, decided.DeclineReason) == (expected.Status, expected.Reason),
                            step, command, $"the code said {decided.Status}/{decided.DeclineReason}, the model {expected.Status}/{expected.Reason}");
                        if (decided.Status == PaymentStatus.Approved)
                        {
                            ExpectSystemDecision(entry, model, now, limitsInForce, step, command);
                        }
                    }

                    break;
                }

                case CaptureCommand capture when holdIds.Count > 0:
                {
                    var index = capture.Pick % holdIds.Count;
                    var amount = Math.Max(1, model.AuthorizedOf(index) * capture.Percent / 100);
                    var expected = model.Capture(now, index, amount, capture.Final, capture.Force);
                    var verdict = DecisionPath.Capture(state, rules, now, new CaptureRequest(holdIds[index], amount, capture.Final, null, capture.Force));
                    Expect(verdict.Outcome == expected.Outcome, step, command, $"the code answered {verdict.Outcome}, the model {expected.Outcome}");
                    recorded = verdict.Entry is not null;
                    if (verdict.Entry is { Change: CaptureMade made } entry)
                    {
                        Expect(made.ExceedsHold == expected.ExceedsHold, step, command, $"exceedsHold {made.ExceedsHold}, the model {expected.ExceedsHold}");
                        captures += amount;
                        networkDecided |= made.ExceedsHold;
                        refundable.Add(entry);
                    }

                    break;
                }

                case ReverseCommand reverse when holdIds.Count > 0:
                {
                    var index = reverse.Pick % holdIds.Count;
                    long? amount = reverse.Percent is { } percent ? Math.Max(1, model.HeldOf(index, now) * percent / 100) : null;
                    var expected = model.Reverse(now, index, amount);
                    var verdict = DecisionPath.Reverse(state, rules, now, new ReversalRequest(holdIds[index], amount, null));
                    Expect(verdict.Outcome == expected, step, command, $"the code answered {verdict.Outcome}, the model {expected}");
                    recorded = verdict.Entry is not null;
                    break;
                }

                case RefundCommand refund:
                {
                    int? index = refund.Pick is { } pick && refundable.Count > 0 ? pick % refundable.Count : null;
                    var expected = model.Refund(index, refund.Amount);
                    var request = new RefundRequest(refund.Amount, "EUR", "Merchant", "5411", index is { } i ? refundable[i].EntryId : null, null);
                    var verdict = DecisionPath.Refund(state, rules, now, request, index is { } j ? refundable[j] : null);
                    Expect(verdict.Outcome == expected, step, command, $"the code answered {verdict.Outcome}, the model {expected}");
                    recorded = verdict.Entry is not null;
                    refunds += recorded ? refund.Amount : 0;
                    break;
                }

                case IncrementCommand or CaptureCommand or ReverseCommand:
                    recorded = false;
                    break;

                case DepositCommand deposit:
                {
                    var request = new DepositRequest(deposit.Amount, deposit.Currency, "salary", null);
                    var accepted = model.Deposit(deposit.Amount, deposit.Currency);
                    if (AccountValidation.ForDeposit(state, request) is not null)
                    {
                        recorded = false;
                        Expect(!accepted, step, command, "the model took a deposit the code refused");
                        break;
                    }

                    Expect(accepted, step, command, "the code took a deposit the model refuses");
                    DecisionPath.Deposit(state, rules, now, request);
                    deposits += deposit.Amount;
                    break;
                }

                case ChangeLimitsCommand change:
                {
                    var accepted = model.ChangeLimits(change.Change);
                    if (AccountValidation.ForLimits(change.Change) is not null)
                    {
                        recorded = false;
                        Expect(!accepted, step, command, "the model took limits the code refused");
                        break;
                    }

                    Expect(accepted, step, command, "the code took limits the model refuses");
                    DecisionPath.Update(state, rules, now, new AccountUpdate(change.Change, null));
                    break;
                }

                case ChangeStatusCommand change:
                    model.ChangeStatus(change.Status);
                    DecisionPath.Update(state, rules, now, new AccountUpdate(null, change.Status));
                    break;

                case WaitCommand wait:
                    recorded = false;
                    now += wait.Duration;
                    break;

                case WaitForResetCommand wait:
                {
                    recorded = false;
                    var target = model.DayOf(now).End.AddSeconds(wait.OffsetSeconds);
                    now = target > now ? target : now;
                    break;
                }
            }

            // The releases that fell due, as the sweep (or the account's next decision) writes them: once each.
            var released = DecisionPath.ExpireDue(state, rules, now).Count;
            Expect(released == model.ExpireDue(now), step, command, $"{released} holds released, the model releases others");
            Expect(state.LastSeq == seqBefore + (recorded ? 1 : 0) + released, step, command, $"seq {state.LastSeq} after {seqBefore}");
            Expect(DecisionPath.ExpireDue(state, rules, now).Count == 0, step, command, "a hold released twice");
            Expect(state.Balance == model.Balance, step, command, $"balance {state.Balance}, model {model.Balance}");
            Expect(state.Balance >= 0 || networkDecided, step, command, $"balance {state.Balance} below zero, and no capture went beyond its hold");
            var fromLists = checked(scenario.InitialBalance + deposits + refunds - approved.Sum(p => p.Amount) - captures);
            Expect(state.Balance == fromLists, step, command, $"balance {state.Balance}, initial + deposits + refunds - payments - captures = {fromLists}");
            Expect((state.Held, state.HeldAt(now)) == (model.Held(now), model.Held(now)), step, command, $"held {state.Held}, model {model.Held(now)}");
            Expect(state.Available == model.Available(now), step, command, $"available {state.Available}, model {model.Available(now)}");

            // What the account view would show, against sums over the model's list of approvals.
            var today = calendar.BusinessDate(now);
            Expect(state.Daily.SpentIn(calendar.Day(today).Key) == model.SpentToday(now), step, command, "daily spent differs");
            Expect(state.Weekly.SpentIn(calendar.Week(today).Key) == model.SpentThisWeek(now), step, command, "weekly spent differs");
            Expect(state.Monthly.SpentIn(calendar.Month(today).Key) == model.SpentThisMonth(now), step, command, "monthly spent differs");
        }
    }

    private static long AmountToBound(ReferenceModel model, DateTimeOffset now, PayToBoundCommand pay)
    {
        var limits = model.EffectiveLimits();
        var left = pay.Target switch
        {
            Bound.PerPayment => limits.PerPayment,
            Bound.Balance => model.Available(now),
            Bound.Daily => limits.Daily - model.SpentToday(now),
            Bound.Weekly => limits.Weekly - model.SpentThisWeek(now),
            _ => limits.Monthly - model.SpentThisMonth(now),
        };
        return left + pay.Offset;
    }

    /// <summary>
    /// A decision of the system (a payment, an authorization, an increment) just approved leaves available money at zero
    /// or more and its periods, as the model sums them, within the ceilings then in force.
    /// </summary>
    private static void ExpectSystemDecision(
        LedgerEntry entry, ReferenceModel model, DateTimeOffset now, LimitSet limits, int step, Command command)
    {
        Expect(entry.AvailableAfter >= 0, step, command, $"available {entry.AvailableAfter} after a decision of the system");
        var (daily, weekly, monthly) = (model.SpentToday(now), model.SpentThisWeek(now), model.SpentThisMonth(now));
        Expect(daily <= limits.Daily, step, command, $"day's approvals {daily} over {limits.Daily}");
        Expect(weekly <= limits.Weekly, step, command, $"week's approvals {weekly} over {limits.Weekly}");
        Expect(monthly <= limits.Monthly, step, command, $"month's approvals {monthly} over {limits.Monthly}");
    }

    private static void Expect(bool condition, int step, Command command, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Step {step} ({command}): {message}.");
        }
    }
}
