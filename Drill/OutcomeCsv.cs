using System.Globalization;

namespace Payments.Drill;

/// <summary>The outcomes as CSV with a header, for PostgreSQL's <c>\copy</c>.</summary>
public static class OutcomeCsv
{
    public const string Header = "account_id,home_region,payment_key,amount,result,decided_by,answered_by,sent_at,answered_at,attempts";

    public static IEnumerable<string> Lines(IEnumerable<PaymentOutcome> outcomes) =>
        new[] { Header }.Concat(outcomes.Select(o => string.Join(',',
            o.AccountId, o.HomeRegion, o.Key, o.Amount.ToString(CultureInfo.InvariantCulture), o.Result, o.DecidedBy ?? "",
            o.AnsweredBy ?? "", o.SentAt.ToString("O", CultureInfo.InvariantCulture),
            o.AnsweredAt.ToString("O", CultureInfo.InvariantCulture), o.Attempts.ToString(CultureInfo.InvariantCulture))));
}
