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

    /// <summary>Pages through the account's payments, newest first.</summary>
    [AlwaysInterleave]
    Task<PaymentPage?> ListPaymentsAsync(int limit, long? beforeSeq);

    /// <summary>Reads one payment by its id (the Idempotency-Key when one was given).</summary>
    [AlwaysInterleave]
    Task<PaymentRecord?> GetPaymentAsync(string paymentId);
}
