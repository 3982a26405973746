using System.ComponentModel;
using System.Diagnostics;

namespace Payments.K8s.Tests.Infrastructure;

/// <summary>What a finished process printed.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs a command line tool and collects its output.</summary>
public static class ProcessRunner
{
    /// <summary>Runs <paramref name="fileName"/>; null when it is not installed (not found on PATH).</summary>
    public static ProcessResult? TryRun(
        string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, string? standardInput = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{fileName} did not start.");
        }
        catch (Win32Exception)
        {
            return null;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (standardInput is not null)
            {
                process.StandardInput.Write(standardInput);
                process.StandardInput.Close();
            }

            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in {timeout}.");
            }

            return new ProcessResult(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
        }
    }
}
