using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Payments.Accounts;
using Payments.Contracts;
using Payments.Grains.Tests.Support;

namespace Payments.Grains.Tests.Properties;

/// <summary>
/// Random scenarios run through the real decision path (validation, <see cref="PaymentDecider"/>, the ledger row
/// the grain would write, <see cref="AccountState.Apply"/>) and through <see cref="ReferenceModel"/>, step by step.
/// </summary>
public sealed class DecisionPathProperties
{
    [Property(MaxTest = 500)]
    public Property Real_decision_path_agrees_with_the_reference_model_and_keeps_the_invariants() =>
        Prop.ForAll(ScenarioGenerators.Scenarios(), Run);

    private static void Run(Scenario scenario)
    {
        var rules = TestRules.In(scenario.TimeZone, scenario.ResetHour);
        var calendar = BusinessCalendar.For(rules);
        var now = scenario.Start;
        var state = DecisionPath.Open(rules, scenario.InitialBalance, scenario.Limits, now);
        var model = new ReferenceModel(rules, scenario.InitialBalance, scenario.Limits);

        // What the real path approved and credited, kept apart from both the state and the model.
        var approved = new List<(DateTimeOffset At, long Amount)>();
        long deposits = 0;

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
                        ExpectWithinCeilings(approved, model, now, limitsInForce, step, command);
                    }

                    break;
                }

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

            Expect(state.LastSeq == seqBefore + (recorded ? 1 : 0), step, command, $"seq {state.LastSeq} after {seqBefore}");
            Expect(state.Balance == model.Balance, step, command, $"balance {state.Balance}, model {model.Balance}");
            Expect(state.Balance >= 0, step, command, $"balance {state.Balance} below zero");
            var fromLists = checked(scenario.InitialBalance + deposits - approved.Sum(p => p.Amount));
            Expect(state.Balance == fromLists, step, command, $"balance {state.Balance}, initial + deposits - approved = {fromLists}");

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
            Bound.Balance => model.Balance,
            Bound.Daily => limits.Daily - model.SpentToday(now),
            Bound.Weekly => limits.Weekly - model.SpentThisWeek(now),
            _ => limits.Monthly - model.SpentThisMonth(now),
        };
        return left + pay.Offset;
    }

    /// <summary>The periods of the payment just approved, summed from the list of approvals, are within the ceilings then in force.</summary>
    private static void ExpectWithinCeilings(
        List<(DateTimeOffset At, long Amount)> approved, ReferenceModel model, DateTimeOffset now, LimitSet limits, int step, Command command)
    {
        var daily = ReferenceModel.SumBetween(approved, model.DayOf(now));
        var weekly = ReferenceModel.SumBetween(approved, model.WeekOf(now));
        var monthly = ReferenceModel.SumBetween(approved, model.MonthOf(now));
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
