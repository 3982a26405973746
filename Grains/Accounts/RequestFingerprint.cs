using System.Security.Cryptography;
using System.Text;
using Payments.Contracts;

namespace Payments.Accounts;

/// <summary>SHA-256 of a request's meaningful fields: the same Idempotency-Key with another body is a reused key.</summary>
public static class RequestFingerprint
{
    public static string Of(PaymentRequest request) =>
        Hash("payment", request.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Currency, request.Merchant, request.Mcc);

    public static string Of(DepositRequest request) =>
        Hash("deposit", request.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Currency, request.Reference);

    public static string Of(AuthorizationRequest request) =>
        Hash("authorization", Text(request.Amount), request.Currency, request.Merchant, request.Mcc);

    public static string Of(IncrementRequest request) =>
        Hash("increment", request.AuthorizationId, Text(request.Amount));

    public static string Of(CaptureRequest request) =>
        Hash("capture", request.AuthorizationId, Text(request.Amount), request.Final ? "final" : "partial", request.Force ? "forced" : "capped");

    public static string Of(RefundRequest request) =>
        Hash("refund", Text(request.Amount), request.Currency, request.Merchant, request.Mcc, request.PaymentId ?? "");

    /// <summary>The network's reference alone: networks resend advices, and every resend replays the first one.</summary>
    public static string Of(AdviceRequest request) =>
        Hash("advice", request.NetworkReference);

    public static string Of(ReversalRequest request) =>
        Hash("reversal", request.AuthorizationId, request.Amount is { } amount ? Text(amount) : "all");

    public static string Of(AccountUpdate update) =>
        Hash("settings", update.ToString());

    public static string Of(OpenAccountRequest request) =>
        Hash("open", request.ToString());

    private static string Text(long amount) => amount.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Hash(params string[] fields)
    {
        // Length-prefixed so that no two field lists share an encoding.
        var text = new StringBuilder();
        foreach (var field in fields)
        {
            text.Append(field.Length).Append(':').Append(field).Append('|');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
