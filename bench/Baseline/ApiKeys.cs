using System.Security.Cryptography;
using System.Text;

namespace Payments.Baseline;

/// <summary>The two API keys of the baseline (admin and terminal), compared in constant time like the product's.</summary>
public sealed class ApiKeys(string admin, string terminal)
{
    private readonly byte[] _admin = Encoding.UTF8.GetBytes(admin);
    private readonly byte[] _terminal = Encoding.UTF8.GetBytes(terminal);

    /// <summary>Null when the request carries a key of one of <paramref name="roles"/>, else the problem to answer.</summary>
    public IResult? Refuse(HttpRequest request, params string[] roles)
    {
        var header = request.Headers.Authorization.ToString();
        var presented = Encoding.UTF8.GetBytes(header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : "");
        var role = CryptographicOperations.FixedTimeEquals(presented, _admin) ? "admin"
            : CryptographicOperations.FixedTimeEquals(presented, _terminal) ? "terminal"
            : null;
        return role switch
        {
            null => Problems.Create(StatusCodes.Status401Unauthorized, "unauthenticated"),
            _ when !roles.Contains(role) => Problems.Create(StatusCodes.Status403Forbidden, "forbidden"),
            _ => null,
        };
    }
}

/// <summary>Problem details with the contract's stable code.</summary>
public static class Problems
{
    public static IResult Create(int status, string code) =>
        Results.Problem(statusCode: status, title: code, extensions: new Dictionary<string, object?> { ["code"] = code });
}
