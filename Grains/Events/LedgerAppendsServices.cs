using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Payments.Events;

public static class LedgerAppendsServices
{
    /// <summary>
    /// Where this process hears of ledger appends: PostgreSQL's notifications when it has a database (one listening
    /// connection, from the process's <see cref="Npgsql.NpgsqlDataSource"/>); else the ledger in memory, when a silo of
    /// this process registered it; else nowhere, and its feed readers poll slowly.
    /// </summary>
    public static IServiceCollection AddLedgerAppends(this IServiceCollection services, string? postgres)
    {
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            services.TryAddSingleton<PostgresLedgerAppends>();
            services.TryAddSingleton<ILedgerAppends>(sp => sp.GetRequiredService<PostgresLedgerAppends>());
            services.AddHostedService(sp => sp.GetRequiredService<PostgresLedgerAppends>());
        }

        services.TryAddSingleton<ILedgerAppends, UnheardLedgerAppends>();
        return services;
    }
}
