using Payments.LoadGen.Cli;
using Payments.LoadGen.Setup;

// The load generator of docs/benchmarks.md. Commands:
//   compare --payments <url> --payments-db <npgsql> [--baseline <url> --baseline-db <npgsql>] [options]
//   events --payments <url> --payments-db <npgsql> [options]   (the region's silo in Development: loopback webhooks)
//   reset-database --postgres <npgsql>
try
{
    var arguments = Arguments.Parse(args);
    switch (arguments.Command)
    {
        case "compare":
            return await CompareCommand.RunAsync(arguments);
        case "events":
            return await Payments.LoadGen.Events.EventsCommand.RunAsync(arguments);
        case "reset-database":
            await DatabaseReset.ResetAsync(arguments.RequiredText("postgres"));
            return 0;
        default:
            Console.Error.WriteLine($"Unknown command '{arguments.Command}': use compare, events or reset-database.");
            return 2;
    }
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
