namespace Payments.Contracts;

/// <summary>The account cannot be loaded or read now (its store does not answer): nothing was decided; retry later.</summary>
[GenerateSerializer, Alias("payments.AccountUnavailableException")]
public sealed class AccountUnavailableException : Exception
{
    public AccountUnavailableException()
    {
    }

    public AccountUnavailableException(string message)
        : base(message)
    {
    }
}
