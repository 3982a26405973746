using Orleans.Diagnostics;
using Payments.Accounts;
using Payments.Hosting.Telemetry;
using Payments.Ledger;
using Payments.Settlement;
using Payments.Silo.Dashboard;

namespace Payments.Silo.Hosting;

/// <summary>What the silo traces and measures, on top of the common telemetry.</summary>
public static class SiloTelemetry
{
    public const string ServiceName = "payments-silo";

    public static WebApplicationBuilder AddSiloTelemetry(this WebApplicationBuilder builder) =>
        builder.AddPaymentsTelemetry(new TelemetrySignals(
            ServiceName,
            TelemetrySignals.ConfiguredRegion(builder.Configuration),
            // Grain calls, activations and grain storage. Not the runtime source: membership probes and the
            // dashboard's own polling would be most of the traces.
            ActivitySources:
            [
                ActivitySources.ApplicationGrainActivitySourceName,
                ActivitySources.LifecycleActivitySourceName,
                ActivitySources.StorageActivitySourceName,
                LedgerTracing.SourceName,
            ],
            Meters: [AccountMetrics.MeterName, LedgerMetrics.MeterName, SettlementMetrics.MeterName],
            UntracedPaths: [DashboardAccess.Path]));
}
