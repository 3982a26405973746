using System.Globalization;
using Payments.Hosting.Security;

namespace Payments.Api.Security;

/// <summary>
/// <c>dotnet run --project Client.Api -- keys create --name … --role admin|terminal|network [--merchant …]</c>,
/// <c>keys list</c>, <c>keys revoke &lt;id&gt;</c>: key administration against the database named by
/// <c>ConnectionStrings:Postgres</c>, for the first admin key of a deployment and for operators without an admin key.
/// Running APIs pick the change up within their key refresh interval.
/// </summary>
public static class ApiKeysCommand
{
    private const string Usage = """
        Usage: keys create --name <name> --role admin|terminal|network [--merchant <merchant>]
               keys list
               keys revoke <id>
        """;

    public static bool Matches(string[] args) => args is ["keys", ..];

    /// <summary>Runs the command after "keys"; 0 when it did what was asked.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        if (services.GetRequiredService<IApiKeyStore>() is not PostgresApiKeyStore)
        {
            await output.WriteLineAsync("Issued keys live in PostgreSQL: set ConnectionStrings:Postgres (e.g. ConnectionStrings__Postgres=...).");
            return 2;
        }

        var admin = services.GetRequiredService<ApiKeyAdmin>();
        var actor = $"cli:{Environment.UserName}";
        switch (args)
        {
            case ["create", .. var options]:
                return await CreateAsync(admin, Options(options), actor, output);
            case ["list"]:
                foreach (var key in await admin.ListAsync(CancellationToken.None))
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{key.Id}  {key.Name}  {key.Role}  {key.Merchant ?? "-"}  created {key.CreatedAt:u} by {key.CreatedBy}  {(key.RevokedAt is { } at ? $"revoked {at:u} by {key.RevokedBy}" : "active")}"));
                }

                return 0;
            case ["revoke", var id] when ApiKeyFormat.IsId(id):
                var revoked = await admin.RevokeAsync(id, actor, CancellationToken.None);
                await output.WriteLineAsync(revoked is null ? $"No API key {id}." : $"Revoked {id} ({revoked.Name}).");
                return revoked is null ? 1 : 0;
            default:
                await output.WriteLineAsync(Usage);
                return 1;
        }
    }

    private static async Task<int> CreateAsync(ApiKeyAdmin admin, Dictionary<string, string> options, string actor, TextWriter output)
    {
        var (name, role, merchant) = (options.GetValueOrDefault("name"), options.GetValueOrDefault("role"), options.GetValueOrDefault("merchant"));
        var errors = ApiKeyAdmin.Check(name, role, merchant);
        if (errors.Any)
        {
            foreach (var (field, messages) in errors.Fields)
            {
                await output.WriteLineAsync($"--{field}: {string.Join(" ", messages)}");
            }

            return 1;
        }

        if (await admin.CreateAsync(name!, role!, merchant, actor, CancellationToken.None) is not var (key, secret))
        {
            await output.WriteLineAsync($"An active key is named '{name}'.");
            return 1;
        }

        await output.WriteLineAsync($"id:  {key.Id}");
        await output.WriteLineAsync($"key: {secret}");
        await output.WriteLineAsync("The key is shown this once; only its SHA-256 is stored.");
        return 0;
    }

    // "--name x --role y" → { name: x, role: y }; anything else makes the command print its usage.
    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                options[args[i][2..]] = args[i + 1];
            }
        }

        return options;
    }
}
