namespace Payments.Webhooks;

/// <summary>Webhook delivery settings (<c>Payments:Webhooks</c>). Without <see cref="SecretKey"/> no endpoint can be registered.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Payments:Webhooks";

    /// <summary>Base64 of 32 bytes: the AES-256-GCM key that encrypts endpoint secrets in the store. Never logged.</summary>
    public string? SecretKey { get; set; }

    /// <summary>How long an endpoint's worker owns it without renewing; another silo or region takes over after it.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How often an idle worker looks for new events when it hears of no append (ledger notifications wake it at once):
    /// what a lost notification costs. Below a third of <see cref="LeaseDuration"/>: the loop also renews the lease.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A delivery answered 2xx within this time succeeded (the contract: 10 s).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>An event failing longer than this stops holding its account's later events back (the contract: an hour).</summary>
    public TimeSpan HoldBackLimit { get; set; } = TimeSpan.FromHours(1);

    /// <summary>An event failing this long disables its endpoint (the contract: 3 days).</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Accounts whose next event is being delivered at once, per endpoint.</summary>
    public int MaxInFlight { get; set; } = 64;

    /// <summary>Events read ahead and not yet delivered, per endpoint: the bound of its queue.</summary>
    public int MaxQueued { get; set; } = 5_000;

    /// <summary>Whether every setting is in range; <see cref="SecretKey"/>, when set, must be 32 bytes of base64.</summary>
    public static bool IsValid(WebhookOptions options) =>
        options.LeaseDuration > TimeSpan.Zero && options.PollInterval > TimeSpan.Zero && options.PollInterval < options.LeaseDuration / 3 && options.AttemptTimeout > TimeSpan.Zero
        && options.FirstRetryDelay > TimeSpan.Zero && options.MaxRetryDelay >= options.FirstRetryDelay
        && options.HoldBackLimit > TimeSpan.Zero && options.GiveUpAfter >= options.HoldBackLimit
        && options.MaxInFlight > 0 && options.MaxQueued >= options.MaxInFlight
        && (options.SecretKey is null || SecretBox.IsKey(options.SecretKey));
}
