namespace Payments.Api.Security;

/// <summary>
/// <c>Payments:Security</c>: how fast key changes reach this API, how long a request may run, and the per-key rate
/// limits. The defaults suit production; the Development profile raises the rate limits for load tests.
/// </summary>
public sealed class SecurityOptions
{
    public const string Section = "Payments:Security";

    /// <summary>How often the keys of the database are read again: a revoked key stops working within this time.</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A request still running after this is answered 503 <c>unavailable</c>.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public RateLimitSettings RateLimits { get; set; } = new();

    public static SecurityOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<SecurityOptions>() ?? new SecurityOptions();
        if (options.KeyRefreshInterval <= TimeSpan.Zero || options.RequestTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Section}: KeyRefreshInterval and RequestTimeout must be positive.");
        }

        options.RateLimits.Validate();
        return options;
    }
}

/// <summary>
/// Requests allowed per <see cref="Period"/> to one API key (by its name), by role; requests without a valid key are
/// limited per client address.
/// </summary>
public sealed class RateLimitSettings
{
    public int Admin { get; set; } = 200;

    public int Terminal { get; set; } = 2_000;

    public int Anonymous { get; set; } = 100;

    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(1);

    public void Validate()
    {
        if (Admin <= 0 || Terminal <= 0 || Anonymous <= 0 || Period <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{SecurityOptions.Section}:RateLimits: every limit and the period must be positive.");
        }
    }
}
