using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Payments.Api.Problems;
using Payments.Api.Routing;
using Payments.Api.Security;
using Payments.Contracts;
using Payments.Events;
using Payments.Hosting.Health;
using Payments.Hosting.Problems;
using Payments.Regions;

namespace Payments.Api.Hosting;

/// <summary>The API's services and middleware.</summary>
public static class ApiHosting
{
    /// <summary>Bodies are small; anything larger is refused with 413 before it is read.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    public static WebApplicationBuilder AddPaymentsApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddClusterIdentity();
        services.AddSingleton(sp => new ApiRegion(sp.GetRequiredService<IOptions<ClusterIdentityOptions>>().Value.Region));
        builder.AddApiTelemetry();
        builder.AddEmbeddedSiloWhenAsked();
        services.AddAccountRouting(builder.Configuration);
        services.AddLedgerAppends(builder.Configuration.GetConnectionString("Postgres"));
        services.AddApiKeySecurity(builder.Configuration, builder.Environment);
        services.AddLoadShedding();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = problem =>
            problem.ProblemDetails.Extensions.TryAdd("code", ProblemCodes.ForStatus(problem.ProblemDetails.Status)));
        services.AddExceptionHandler<ExceptionProblems>();
        services.AddOpenApi(options => options.AddSchemaTransformer<ContractEnumSchemas>()
            .AddDocumentTransformer<OpenApiContract>().AddOperationTransformer<OpenApiContract>());
        var readiness = services.AddHealthChecks().AddCheck<LocalClusterReadiness>("local-cluster", tags: [StoreHealthChecks.Ready]);
        if (builder.Configuration.GetConnectionString("Postgres") is { Length: > 0 } postgres)
        {
            readiness.AddPostgres(postgres);
        }

        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            options.SerializerOptions.MaxDepth = 16;
            // A misspelt or repeated field is refused rather than guessed at: "dialy" must not leave a ceiling unchanged.
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            options.SerializerOptions.AllowDuplicateProperties = false;
            options.SerializerOptions.Converters.Add(new ContractEnumConverter());
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        return builder;
    }

    public static WebApplication UsePaymentsApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseLoadShedding();
        app.UseRequestBodyLimit(MaxRequestBodyBytes);
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseRequestTimeouts();
        app.UseAuthorization();
        return app;
    }
}
