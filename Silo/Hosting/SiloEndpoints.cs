using Payments.Hosting.Health;
using Payments.Hosting.Telemetry;
using Payments.Silo.Dashboard;

namespace Payments.Silo.Hosting;

/// <summary>The silo's HTTP surface: health for the orchestrator, metrics for the scraper, the dashboard for operators.</summary>
public static class SiloEndpoints
{
    public static WebApplication MapSiloEndpoints(this WebApplication app)
    {
        app.MapLiveAndReady();
        app.MapMetrics();
        app.MapDashboard();
        return app;
    }
}
