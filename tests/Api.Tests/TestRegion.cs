namespace Payments.Api.Tests;

/// <summary>The rules of region-a that the test clusters run with.</summary>
public static class TestRegion
{
    /// <summary>A cluster address for API hosts whose cluster is never called: nothing listens on port 1.</summary>
    public const string UnreachableRedis = "127.0.0.1:1";

    public static Dictionary<string, string?> SiloConfiguration() => new()
    {
        ["Payments:Region"] = "region-a",
        ["Payments:Regions:region-a:TimeZone"] = "Europe/Paris",
        ["Payments:Regions:region-a:ResetHour"] = "3",
        ["Payments:Regions:region-a:Currency"] = "EUR",
        ["Payments:Regions:region-a:MaxPerPayment"] = "1000000",
        ["Payments:Regions:region-a:DefaultLimits:PerPayment"] = "50000",
        ["Payments:Regions:region-a:DefaultLimits:Daily"] = "100000",
        ["Payments:Regions:region-a:DefaultLimits:Weekly"] = "300000",
        ["Payments:Regions:region-a:DefaultLimits:Monthly"] = "800000",
        ["Payments:Regions:region-a:BlockedMccs:0"] = "7995",
    };
}
