using Npgsql;
using Payments.Baseline;

// The conventional design the benchmarks compare Payments with: one ASP.NET Core service, every payment one
// PostgreSQL transaction that locks the account row. See docs/benchmarks.md.
var builder = WebApplication.CreateBuilder(args);
var postgres = builder.Configuration.GetConnectionString("Postgres")
    ?? throw new InvalidOperationException("ConnectionStrings:Postgres is required.");
await BaselineSchema.EnsureAsync(postgres);
builder.Services.AddSingleton(NpgsqlDataSource.Create(postgres));
builder.Services.AddSingleton<AccountLedger>();
builder.Services.AddSingleton(new ApiKeys(
    builder.Configuration["Baseline:AdminKey"] ?? "dev-admin-key",
    builder.Configuration["Baseline:TerminalKey"] ?? "dev-terminal-key"));

var app = builder.Build();
app.MapBaselineApi();
await app.RunAsync();
