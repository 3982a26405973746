using Payments.Api.Apis;
using Payments.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddPaymentsApi();

var app = builder.Build();
app.UsePaymentsApi();
app.MapOperationsApi();
app.MapAccountsApi();
app.MapPaymentsApi();
app.MapDepositsApi();
await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory in the API tests.</summary>
public partial class Program;
