using System.Text;

namespace Payments.Api.Tests;

/// <summary>The keys a fuzz run uses: valid ones of each role, one scoped to a merchant, one revoked.</summary>
public sealed record FuzzKeys(string Admin, string Terminal, string Scoped, string Revoked);

/// <summary>What the requests aim at: existing accounts, and a prefix marking every id the run makes up.</summary>
public sealed record FuzzTargets(IReadOnlyList<string> Accounts, string Prefix, FuzzKeys Keys);

/// <summary>One generated request. <see cref="MustBeRejected"/>: it writes, and every generated write is invalid.</summary>
public sealed class HostileRequest
{
    public required string Method { get; init; }

    public required string Path { get; init; }

    public required IReadOnlyList<string> Poisons { get; init; }

    public required bool MustBeRejected { get; init; }

    public IReadOnlyList<string> Authorization { get; init; } = [];

    public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];

    public Func<HttpContent?> Content { get; init; } = () => null;

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), Path) { Content = Content() };
        if (Authorization.Count > 0)
        {
            message.Headers.TryAddWithoutValidation("Authorization", Authorization);
        }

        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }

    public override string ToString() => $"{Method} {Truncate(Path)} [{string.Join("; ", Poisons.Select(Truncate))}]";

    private static string Truncate(string text) =>
        text.Length <= 120 ? text : new StringBuilder(text[..120]).Append("…(").Append(text.Length).Append(')').ToString();
}
