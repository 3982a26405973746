using Payments.InProcess;

// Durable approved payments per second through the grains and the ledger writer, without HTTP: a silo in this
// process on the PostgreSQL ledger, called through its cluster client from many tasks over many accounts.
//   dotnet Payments.InProcess.dll --postgres <npgsql> [--accounts 5000] [--concurrency 1000]
//                                 [--warmup 20] [--duration 20] [--json path]
var settings = InProcessSettings.From(args);
await using var silo = await BenchSilo.StartAsync(settings.Postgres);
var result = await PaymentLoop.RunAsync(silo, settings);
Console.WriteLine(result.Describe());
await result.WriteJsonAsync(settings.Json);
// Every approval is in the ledger; an unknown outcome may or may not be.
return result.ApprovedInLedger >= result.ApprovedAnswers && result.ApprovedInLedger <= result.ApprovedAnswers + result.Unavailable ? 0 : 1;
