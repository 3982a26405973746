namespace Payments.Integration.Tests.Infrastructure;

/// <summary>What the answers of a load and the ledger must agree on, whatever failed during the load.</summary>
public static class LedgerAssert
{
    /// <summary>
    /// Every answered payment or deposit is exactly one row with the answer's key, amount, status and balance, and
    /// every payment or deposit row of the accounts was answered (the load retries every request until it is).
    /// </summary>
    public static async Task AnswersAreTheLedgerAsync(LedgerAudit ledger, IReadOnlyCollection<string> accounts, IReadOnlyList<Answered> answers)
    {
        var recorded = (await ledger.RowsAsync(accounts)).Where(r => r.Kind is "payment" or "deposit").ToList();
        Assert.Equal(recorded.Count, recorded.Select(r => (r.AccountId, r.EntryId)).Distinct().Count());
        var byKey = recorded.ToDictionary(r => r.EntryId, StringComparer.Ordinal);
        Assert.Equal(answers.Select(a => a.Key).Order(StringComparer.Ordinal), byKey.Keys.Order(StringComparer.Ordinal));
        Assert.All(answers, answer =>
        {
            var row = byKey[answer.Key];
            Assert.Equal(
                (answer.AccountId, answer.IsDeposit ? "deposit" : "payment", answer.Amount,
                    answer.IsDeposit ? "approved" : answer.Outcome, answer.BalanceAfter),
                (row.AccountId, row.Kind, row.Amount, (string?)row.Status, (long?)row.BalanceAfter));
        });
    }

    /// <summary>
    /// No invariant broken (seqs, balance chain, ceilings), and every balance the same three ways: the ledger's sums,
    /// its last row, and the API.
    /// </summary>
    public static async Task MoneyAddsUpAsync(LedgerAudit ledger, HttpClient reader, IReadOnlyCollection<string> accounts, Ceilings ceilings)
    {
        Assert.Empty(await ledger.ViolationsAsync(accounts, ceilings));
        var balances = await ledger.BalancesAsync(accounts);
        foreach (var accountId in accounts)
        {
            var (_, view) = await reader.GetUntilAnsweredAsync($"/v1/accounts/{accountId}");
            Assert.Equal(balances[accountId].FromSums, balances[accountId].LastBalanceAfter);
            Assert.Equal(balances[accountId].FromSums, (long)view!["balance"]!);
        }
    }
}
