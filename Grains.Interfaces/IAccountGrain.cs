using Orleans.Concurrency;
using Payments.Contracts;

namespace Payments;

/// <summary>One client account: decides its own debits and credits one after the other, on its own state.</summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Opens the account; fails with <see cref="OpenOutcome.AlreadyExists"/> when the id is taken in any region.</summary>
    Task<OpenAccountResult> OpenAsync(OpenAccountRequest request);

    /// <summary>Returns the account view as of the ledger now, or null when the account does not exist.</summary>
    Task<AccountView?> GetViewAsync();

    /// <summary>Decides a card payment and makes the decision durable before answering.</summary>
    Task<PaymentResult> PayAsync(PaymentRequest request);

    /// <summary>Credits the account and makes the credit durable before answering.</summary>
    Task<DepositResult> DepositAsync(DepositRequest request);

    /// <summary>Changes the account's own limits and/or status.</summary>
    Task<UpdateAccountResult> UpdateAsync(AccountUpdate update);

    /// <summary>Decides an authorization (a hold) and makes the decision durable before answering.</summary>
    Task<AuthorizationResult> AuthorizeAsync(AuthorizationRequest request);

    /// <summary>Decides more money on a pending authorization's hold and makes the decision durable before answering.</summary>
    Task<IncrementResult> IncrementAsync(IncrementRequest request);

    /// <summary>Captures (part of) an authorization, within its cap unless forced; a final capture releases the rest.</summary>
    Task<CaptureResult> CaptureAsync(CaptureRequest request);

    /// <summary>Gives back part or all of what a pending authorization holds.</summary>
    Task<ReversalResult> ReverseAsync(ReversalRequest request);

    /// <summary>Credits money a merchant gives back, for one of the account's payments or captures or for none.</summary>
    Task<RefundResult> RefundAsync(RefundRequest request);

    /// <summary>Records what the network decided on the bank's behalf, as it is; a resend replays the first.</summary>
    Task<AdviceResult> AdviseAsync(AdviceRequest request);

    /// <summary>Records the release of every hold that is due now; the region's expiry sweep calls it.</summary>
    Task ExpireDueHoldsAsync();

    /// <summary>Reads one authorization as of now, or null when the account has none with that id.</summary>
    Task<AuthorizationRecord?> GetAuthorizationAsync(string authorizationId);

    /// <summary>Pages through the account's authorizations as of now, newest first, only those of <paramref name="status"/> when given.</summary>
    Task<AuthorizationPage?> ListAuthorizationsAsync(AuthorizationStatus? status, int limit, long? beforeSeq);

    /// <summary>Pages through the account's payments, newest first.</summary>
    [AlwaysInterleave]
    Task<PaymentPage?> ListPaymentsAsync(int limit, long? beforeSeq);

    /// <summary>Reads one payment by its id (the Idempotency-Key when one was given).</summary>
    [AlwaysInterleave]
    Task<PaymentRecord?> GetPaymentAsync(string paymentId);

    /// <summary>
    /// The merchant a refund of <paramref name="paymentId"/> gives money back for: the payment's, or for a capture the
    /// merchant of the authorization it captured; null when the account has no payment or capture with that id.
    /// </summary>
    [AlwaysInterleave]
    Task<string?> GetRefundMerchantAsync(string paymentId);
}
