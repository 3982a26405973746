using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Payments.Api.Auditing;

/// <summary>The audit trail in the <c>admin_audit</c> table (migration 0003).</summary>
public sealed class PostgresAdminAudit(
    NpgsqlDataSource database,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    ILogger<PostgresAdminAudit> logger) : IAdminAudit
{
    public async Task RecordAsync(AdminAuditEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await InsertAsync(connection, null, entry, cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            // The change took effect already: the log is the audit's second channel.
            logger.LogError(ex, "Audit row lost: {Actor} {Action} {Target} before {Before} after {After}",
                entry.Actor, entry.Action, entry.Target, ToJson(entry.Before), ToJson(entry.After));
        }
    }

    /// <summary>Writes the row inside the caller's transaction, so that the change and its audit commit together.</summary>
    public async Task InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, AdminAuditEntry entry, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO admin_audit (actor, action, target, before, after) VALUES (@actor, @action, @target, @before, @after)",
            connection, transaction);
        command.Parameters.AddWithValue("actor", entry.Actor);
        command.Parameters.AddWithValue("action", entry.Action);
        command.Parameters.AddWithValue("target", entry.Target);
        command.Parameters.Add(new NpgsqlParameter("before", NpgsqlDbType.Jsonb) { Value = (object?)ToJson(entry.Before) ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Jsonb) { Value = (object?)ToJson(entry.After) ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private string? ToJson(object? value) =>
        value is null ? null : JsonSerializer.Serialize(value, value.GetType(), json.Value.SerializerOptions);
}
