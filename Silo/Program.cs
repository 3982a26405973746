using Payments.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddPaymentsSilo();

var app = builder.Build();
await app.MigrateDatabaseAsync();
app.MapSiloEndpoints();
await app.RunAsync();
