using Payments.Integration.Tests.Infrastructure;

namespace Payments.Integration.Tests.Observability;

/// <summary>
/// What an operator sees in a real browser: the Orleans Dashboard of a silo, after signing in with the admin key,
/// and the API's OpenAPI document. Screenshots go to <c>.artifacts/screenshots/</c>.
/// </summary>
[Collection(RunningRegionCollection.Name)]
public sealed class BrowserTests(RunningRegion region) : IAsyncLifetime
{
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(60);
    private HeadlessChromium _browser = null!;

    private string Screenshots => Path.Combine(region.Servers.RepositoryRoot, ".artifacts", "screenshots");

    public async Task InitializeAsync() => _browser = await HeadlessChromium.StartAsync(region.Servers.RepositoryRoot);

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task Dashboard_shows_the_live_silos_after_signing_in_with_the_admin_key()
    {
        var silo = region.Silos[0];
        await region.PayAsync(await region.OpenAccountAsync(5_000), 100);

        await _browser.NavigateAsync(new Uri(silo.Address, "/dashboard/"), PageTimeout);
        var onLoginPage = await _browser.WaitUntilAsync("document.querySelector('input[name=key]') !== null", PageTimeout);
        await _browser.EvaluateAsync(
            $"document.querySelector('input[name=key]').value = '{RunningRegion.AdminKey}'; document.forms[0].submit(); true");
        var activeSilos = await _browser.WaitUntilAsync(
            $"/active silos\\s*{region.Silos.Count}\\b/i.test(document.body.innerText)", PageTimeout);
        await _browser.ScreenshotAsync(Path.Combine(Screenshots, "dashboard.png"));
        var overview = await _browser.TextAsync();
        await _browser.EvaluateAsync("location.hash = '#/silos'; true");
        var siloAddresses = region.Silos.Select(s => $"127.0.0.1:{s.SiloPort}").ToList();
        var listsSilos = await _browser.WaitUntilAsync(
            string.Join(" && ", siloAddresses.Select(address => $"document.body.innerText.includes('{address}')")), PageTimeout);
        await _browser.ScreenshotAsync(Path.Combine(Screenshots, "dashboard-silos.png"));
        var silos = await _browser.TextAsync();

        Assert.True(onLoginPage, "The dashboard did not send an anonymous browser to its sign-in page.");
        Assert.True(activeSilos, $"The dashboard overview does not count {region.Silos.Count} active silos. It shows:\n{overview}");
        Assert.True(listsSilos, $"The dashboard does not list the silos {string.Join(", ", siloAddresses)}. It shows:\n{silos}");
        Assert.Equal("/dashboard/", (string?)await _browser.EvaluateAsync("location.pathname"));
    }

    [Fact]
    public async Task Dashboard_turns_away_a_key_that_is_not_an_admin_key()
    {
        await _browser.NavigateAsync(new Uri(region.Silos[0].Address, "/dashboard/login"), PageTimeout);

        await _browser.EvaluateAsync(
            $"document.querySelector('input[name=key]').value = '{RunningRegion.TerminalKey}'; document.forms[0].submit(); true");
        var refused = await _browser.WaitUntilAsync("document.body.innerText.includes('not an admin API key')", PageTimeout);

        Assert.True(refused, await _browser.TextAsync());
        Assert.Equal("/dashboard/login", (string?)await _browser.EvaluateAsync("location.pathname"));
    }

    [Fact]
    public async Task OpenApi_document_of_the_api_renders_its_operations()
    {
        await _browser.NavigateAsync(new Uri(region.ApiAddress, "/openapi/v1.json"), PageTimeout);

        var rendered = await _browser.WaitUntilAsync("document.body.innerText.includes('CreatePayment')", PageTimeout);
        await _browser.ScreenshotAsync(Path.Combine(Screenshots, "openapi.png"));
        var text = await _browser.TextAsync();

        Assert.True(rendered, text);
        Assert.Contains("/v1/accounts/{accountId}/payments", text);
        Assert.Contains("\"openapi\"", text);
    }
}
