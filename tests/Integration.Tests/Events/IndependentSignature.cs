using System.Diagnostics;
using System.Text.Json;

namespace Payments.Integration.Tests.Events;

/// <summary>
/// Checks Standard Webhooks signatures with an implementation that is not ours: a few lines of Python, standard
/// library only (hmac, hashlib, base64), as a consumer would write them from the specification.
/// </summary>
public static class IndependentSignature
{
    private const string Verifier = """
        import base64, hashlib, hmac, json, sys
        results = []
        for w in json.load(sys.stdin):
            key = base64.b64decode(w["secret"].split("_", 1)[1])
            signed = (w["id"] + "." + w["timestamp"] + "." + w["body"]).encode("utf-8")
            expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
            given = [s.split(",", 1)[1] for s in w["signature"].split(" ") if s.startswith("v1,")]
            results.append(any(hmac.compare_digest(expected, g) for g in given))
        print(json.dumps(results))
        """;

    /// <summary>For each webhook, whether its signature is valid under <paramref name="secret"/>.</summary>
    public static async Task<bool[]> VerifyAsync(string secret, IReadOnlyList<ReceivedWebhook> webhooks)
    {
        var start = new ProcessStartInfo("python3", ["-c", Verifier])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var python = Process.Start(start)!;
        await python.StandardInput.WriteAsync(JsonSerializer.Serialize(
            webhooks.Select(w => new { secret, id = w.Id, timestamp = w.Timestamp, body = w.Body, signature = w.Signature })));
        python.StandardInput.Close();
        var output = await python.StandardOutput.ReadToEndAsync();
        var errors = await python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, errors);
        return JsonSerializer.Deserialize<bool[]>(output)!;
    }
}
