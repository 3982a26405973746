using Npgsql;

namespace Payments.Storage;

/// <summary>The stores' one loop over a command's rows.</summary>
public static class NpgsqlRows
{
    /// <summary>Runs <paramref name="command"/> and reads every row it returns with <paramref name="read"/>, in order.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
