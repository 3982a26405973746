using Payments.Api.Apis;
using Payments.Api.Hosting;
using Payments.Api.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddPaymentsApi();

var app = builder.Build();
if (ApiKeysCommand.Matches(args))
{
    Environment.ExitCode = await ApiKeysCommand.RunAsync(app.Services, args[1..], Console.Out);
    return;
}

app.UsePaymentsApi();
app.MapOperationsApi();
app.MapAccountsApi();
app.MapPaymentsApi();
app.MapAuthorizationsApi();
app.MapRefundsApi();
app.MapAdvicesApi();
app.MapDepositsApi();
app.MapApiKeysApi();
app.MapRegionsApi();
app.MapRegionRulesApi();
app.MapSettlementsApi();
app.MapEventsApi();
app.MapWebhookEndpointsApi();
await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory in the API tests.</summary>
public partial class Program;
